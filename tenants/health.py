"""Liveness (/healthz) and readiness (/readyz) answered on any host, before tenant routing."""
import logging

from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def database_ready() -> bool:
    try:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "not ready"; the reason goes to the log
        logger.exception("readiness: database unreachable")
        return False


def celery_broker_ready() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("readiness: celery broker unreachable")
        return False


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            checks = {"database": database_ready(), "celery_broker": celery_broker_ready()}
            ok = all(checks.values())
            return JsonResponse(
                {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
            )
        return self.get_response(request)


