"""Health, answered on any host before tenant routing:

- `/healthz` (liveness): the process answers; no database access.
- `/readyz` (readiness): the database and the Celery broker answer, and no schema is missing a
  migration of this release (503 while `migrate_schemas` runs, so a new pod takes no traffic
  before its tables exist). Once migrations are complete a process stops asking (they only ever
  complete further for the code it runs).
- `/diagnostic/status/heartbeat` and `/diagnostic/status/dependencies`: the Pact Broker's own
  diagnostic endpoints, same bodies (HAL), for monitors built for it. The open-source broker
  puts them behind its basic auth unless `public_heartbeat`; they reveal nothing, so here they are
  public like the probes.
"""

import logging

from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger(__name__)

# The broker's diagnostic resources write their content type without a charset.
DIAGNOSTIC = "application/hal+json"
_migrations_complete = False


def database_ready() -> bool:
    try:
        with schema_context(get_public_schema_name()), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "not ready"; the reason goes to the log
        logger.exception("readiness: database unreachable")
        return False


def celery_broker_ready() -> bool:
    from celery import current_app as app  # the application config/celery.py creates

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("readiness: celery broker unreachable")
        return False


def migrations_ready() -> bool:
    global _migrations_complete
    if _migrations_complete:
        return True
    from tenants.migration_state import migrations_pending

    try:
        pending = migrations_pending()
    except Exception:
        logger.exception("readiness: could not read the migration state")
        return False
    if pending:
        logger.warning("readiness: %d schema(s) waiting for migrations, e.g. %s", len(pending), pending[0])
        return False
    _migrations_complete = True
    return True


def _self_link(request, path: str) -> dict:
    from apps.core.hal import base_url

    try:
        base = base_url(request)
    except DisallowedHost:  # a probe by pod address: the link stays relative
        base = ""
    return {"self": {"href": f"{base}{path}"}}


def _not_acceptable(request):
    """The broker's diagnostics produce only `application/hal+json`: any other Accept is a bodiless 406."""
    from apps.core.negotiation import accepts

    if accepts(request.headers.get("Accept"), "application/hal+json"):
        return None
    response = HttpResponse(status=406)
    del response["Content-Type"]
    return response


def heartbeat(request):
    refused = _not_acceptable(request)
    if refused is not None:
        return refused
    return JsonResponse({"ok": True, "_links": _self_link(request, request.path)}, content_type=DIAGNOSTIC)


def dependencies(request):
    refused = _not_acceptable(request)
    if refused is not None:
        return refused
    ok = database_ready()
    body = {"database": {"ok": ok}, "_links": _self_link(request, request.path)}
    return JsonResponse(body, status=200 if ok else 500, content_type=DIAGNOSTIC)


def readiness(request):
    database = database_ready()
    checks = {
        "database": database,
        "celery_broker": celery_broker_ready(),
        "migrations": database and migrations_ready(),
    }
    ok = all(checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


ROUTES = {
    "/healthz": lambda request: JsonResponse({"status": "ok"}),
    "/readyz": readiness,
    "/diagnostic/status/heartbeat": heartbeat,
    "/diagnostic/status/dependencies": dependencies,
}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        answer = ROUTES.get(request.path)
        if answer is not None and request.method in ("GET", "HEAD"):
            return answer(request)
        return self.get_response(request)
