"""Prometheus metrics: `/-/metrics` on any host, for the platform's Prometheus (not the broker's JSON `/metrics`).

What is measured, and where:
- per request (web): rate, latency and errors per *route* (the URL pattern's name, never the raw
  path, so the label set is bounded whatever clients send) and SQL statements per request;
- per Celery task (worker): runs and failures per task name, run time;
- webhook deliveries by outcome (worker, counted when an attempt is recorded: the webhooks app
  keeps that counter itself, apps/webhooks/metrics.py; it reaches the scrape through the registry);
- at scrape time, from the database and the broker: organisations, active API tokens, the spare
  schema pool and the Celery queue depth. These are read by whichever web process answers the
  scrape, so they never double when several processes or pods exist.

No label carries an organisation: with thousands of organisations the series would explode, and a
per-organisation view comes from the logs (every line names the tenant and the request id).

Multi-process: gunicorn forks workers, each with its own counters. With PROMETHEUS_MULTIPROC_DIR
set (the Helm chart and the Dockerfile set it), every process writes its samples to files there and
the scrape sums them (prometheus_client's multiprocess mode); `deploy/gunicorn.conf.py` marks dead
workers. Celery workers do the same and serve their own samples on METRICS_WORKER_PORT.

With SERVER_TIMING on (benchmarks: bench/http.py), every answer also carries the request's own measure
of itself in a `Server-Timing` header: `app` (wall time in the application, ms), `cpu` (CPU time of
the request's thread, ms) and `sql` (statements run). Off by default: it tells a client how much
work its request cost.

Protection: the endpoint answers only `Authorization: Bearer <METRICS_TOKEN>`; with no token
configured it is a 404, so an installation that never set one exposes nothing.
"""

import hmac
import logging
import os
import re
import time

from amqp.exceptions import ChannelError
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django_tenants.utils import get_public_schema_name, get_tenant_base_schema, schema_context
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

METRICS_PATH = "/-/metrics"
# Paths answered by middleware before URL resolution: their own route label.
_FIXED_ROUTES = {
    "/healthz": "healthz",
    "/readyz": "readyz",
    "/diagnostic/status/heartbeat": "heartbeat",
    "/diagnostic/status/dependencies": "dependencies",
}
UNRESOLVED = "<unresolved>"

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_STATEMENT_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500)

REQUESTS = Counter(
    "broker_http_requests_total", "HTTP requests answered, by route, method and status.", ["route", "method", "status"]
)
REQUEST_ERRORS = Counter(
    "broker_http_request_errors_total",
    "HTTP requests answered with a 5xx status or an unhandled exception, by route.",
    ["route", "method"],
)
REQUEST_LATENCY = Histogram(
    "broker_http_request_duration_seconds",
    "Time to answer a request, by route.",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
REQUEST_STATEMENTS = Histogram(
    "broker_http_request_db_statements",
    "SQL statements run per request, by route.",
    ["route"],
    buckets=_STATEMENT_BUCKETS,
)
TASKS = Counter("broker_celery_tasks_total", "Celery task runs, by task name and outcome.", ["task", "outcome"])
TASK_DURATION = Histogram(
    "broker_celery_task_duration_seconds", "Celery task run time, by task name.", ["task"], buckets=_LATENCY_BUCKETS
)


_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def route_of(request) -> str:
    """The URL pattern that answered, e.g. `/pacticipants/<name>` (regex patterns read the same way)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return _FIXED_ROUTES.get(request.path, UNRESOLVED)
    if match.route is None:
        return match.view_name or UNRESOLVED
    route = _REGEX_GROUP.sub(r"<\1>", match.route)
    return "/" + re.sub(r"[\^$]|\(\?:\\\.svg\)\?", "", route).replace("\\", "")


class _StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """Serves `/-/metrics`, and measures every other request (outermost but for the request id)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == METRICS_PATH:
            return metrics_response(request)
        started, cpu_started = time.perf_counter(), time.thread_time()
        statements = _StatementCounter()
        status = 500
        try:
            with connection.execute_wrapper(statements):
                response = self.get_response(request)
            status = response.status_code
            if settings.SERVER_TIMING:
                response["Server-Timing"] = (
                    f"app;dur={(time.perf_counter() - started) * 1000:.2f}, "
                    f"cpu;dur={(time.thread_time() - cpu_started) * 1000:.2f}, "
                    f'sql;desc="{statements.count}"'
                )
            return response
        finally:
            route, method = route_of(request), _method(request.method)
            REQUESTS.labels(route, method, str(status)).inc()
            REQUEST_LATENCY.labels(route, method).observe(time.perf_counter() - started)
            REQUEST_STATEMENTS.labels(route).observe(statements.count)
            if status >= 500:
                REQUEST_ERRORS.labels(route, method).inc()


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _method(method: str | None) -> str:
    return method if method in _METHODS else "other"  # bounded, whatever a client sends


def _authorised(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def metrics_response(request):
    if not settings.METRICS_TOKEN:
        return JsonResponse({"error": {"message": "Not found"}}, status=404)
    if not _authorised(request):
        response = JsonResponse({"error": {"message": "A valid metrics token is required."}}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = process_registry()
    registry.register(PlatformCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def process_registry() -> CollectorRegistry:
    """A fresh registry holding this process's (or, in multiprocess mode, all processes') samples."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    registry = CollectorRegistry()
    registry.register(_ProcessSamples())
    return registry


class _ProcessSamples:
    """This process's own metrics (the default registry), inside a per-scrape registry."""

    def collect(self):
        yield from REGISTRY.collect()


class PlatformCollector:
    """Gauges read at scrape time. The token count visits every schema in one statement, so it is
    cached for METRICS_PLATFORM_CACHE_SECONDS (a scrape every 15 s stays cheap with thousands of
    organisations)."""

    def collect(self):
        from django.core.cache import cache

        # Answered before routing, so the connection may be in any schema: the platform's cache entry
        # is the public schema's (cache keys carry the schema).
        with schema_context(get_public_schema_name()):
            facts = cache.get("metrics:platform")
            if facts is None:
                try:
                    facts = platform_facts()
                except Exception:  # the database is down: the process metrics still answer (readyz says why)
                    logger.warning("metrics: could not read the platform gauges", exc_info=True)
                    return
                cache.set("metrics:platform", facts, settings.METRICS_PLATFORM_CACHE_SECONDS)
        organisations = GaugeMetricFamily("broker_organisations", "Organisations (tenants), by plan.", labels=["plan"])
        for plan, count in sorted(facts["organisations"].items()):
            organisations.add_metric([plan], count)
        yield organisations
        yield GaugeMetricFamily(
            "broker_api_tokens_active", "API tokens not revoked or expired, all organisations.", value=facts["tokens"]
        )
        yield GaugeMetricFamily(
            "broker_spare_schemas", "Spare organisation schemas ready for sign-ups.", value=facts["spares"]
        )
        yield GaugeMetricFamily(
            "broker_spare_schemas_wanted",
            "The spare pool's target size (TENANT_SPARE_SCHEMAS).",
            value=settings.TENANT_SPARE_SCHEMAS,
        )
        depth = celery_queue_depth()
        if depth is not None:  # unknown when the broker is unreachable: no sample rather than a 0
            yield GaugeMetricFamily("broker_celery_queue_depth", "Messages waiting in the Celery queue.", value=depth)


def platform_facts() -> dict:
    from django.db.models import Count

    from tenants import placement
    from tenants.models import Tenant
    from tenants.queries import tenant_schema_names_by_server
    from tenants.spares import spare_schema_names

    with schema_context(get_public_schema_name()):
        organisations = dict(
            Tenant.objects.exclude(schema_name__in=[get_public_schema_name(), get_tenant_base_schema()])
            .values_list("plan")
            .annotate(n=Count("id"))
            .values_list("plan", "n")
        )
        tokens = spares = 0
        for alias, schemas in tenant_schema_names_by_server().items():  # each database server's own
            with placement.unreachable_skipped(alias, "metrics"), placement.organisation_server(alias):
                tokens += active_tokens(schemas)
                spares += len(spare_schema_names())
        return {"organisations": organisations, "tokens": tokens, "spares": spares}


def active_tokens(schemas: list[str]) -> int:
    if not schemas:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(  # schema names come from our own tenant table (slug rules: [a-z0-9_])
            "SELECT sum(n) FROM ("
            + " UNION ALL ".join(
                f'SELECT count(*) AS n FROM "{schema}".accounts_apitoken '
                "WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"
                for schema in schemas
            )
            + ") AS counts"
        )
        return int(cursor.fetchone()[0] or 0)


def celery_queue_depth() -> int | None:
    from celery import current_app as app  # the application config/celery.py creates

    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            queue = app.conf.task_default_queue or "celery"
            try:
                return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
            except ChannelError as exc:
                if str(getattr(exc, "reply_code", "")) == "404":  # never declared: nothing was ever queued
                    return 0
                raise
    except Exception:
        logger.warning("metrics: could not read the Celery queue depth", exc_info=True)
        return None


# --- Celery: task runs ----------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def _task_prerun(task_id=None, **kwargs):
    _task_started[task_id] = time.perf_counter()


def _task_postrun(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    name = getattr(task, "name", "unknown")
    if started is not None:
        TASK_DURATION.labels(name).observe(time.perf_counter() - started)
    TASKS.labels(name, "failure" if state == "FAILURE" else ("retry" if state == "RETRY" else "success")).inc()


def connect_signals() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_prerun, weak=False, dispatch_uid="metrics-task-prerun")
    task_postrun.connect(_task_postrun, weak=False, dispatch_uid="metrics-task-postrun")


def worker_metrics_serve() -> None:
    """In the Celery worker's main process: serve the samples of all its pool processes on
    METRICS_WORKER_PORT (0 = off). Reached by Prometheus over the pod network only."""
    port = settings.METRICS_WORKER_PORT
    if not port:
        return
    from prometheus_client import start_http_server

    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:  # as gunicorn's on_starting does for web: start from an empty directory
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))

    start_http_server(port, registry=process_registry())
    logger.info("worker metrics on port %s", port)
