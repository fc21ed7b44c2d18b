"""OpenTelemetry traces: off unless the standard OTEL_* variables ask for them.

On when `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set or
`OTEL_TRACES_EXPORTER` names an exporter (`otlp`, `console`); `OTEL_SDK_DISABLED=true` or
`OTEL_TRACES_EXPORTER=none` keep them off. Everything else (sampler, headers, service name, resource
attributes, batch sizes) is read by the SDK from its own standard variables.

Instrumented: Django (one server span per request, named by route), psycopg (one span per SQL
statement), Celery (publish and run, with the trace carried in the message), and outbound HTTP
(requests for SAML metadata, urllib3 for webhooks). Every span carries the organisation's schema
(`broker.organisation`) and the request id (`broker.request_id`) from the same context variables the
log lines use (config/logging.py), and every log line carries the trace and span ids.

Called once per process that serves: each gunicorn worker (config/wsgi.py) and each Celery pool
process (config/celery.py), after the fork, so no exporter thread is shared across a fork.
"""

import logging
import os

logger = logging.getLogger(__name__)

ORGANISATION = "broker.organisation"
REQUEST_ID = "broker.request_id"


def tracing_enabled(environ=os.environ) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return bool(environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


class ContextAttributesProcessor:
    """Stamps the organisation and request id of the current context on every span as it starts."""

    def on_start(self, span, parent_context=None):
        from apps.core.log_context import current_request_id, current_tenant

        tenant, request_id = current_tenant.get(), current_request_id.get()
        if tenant != "-":
            span.set_attribute(ORGANISATION, tenant)
        if request_id != "-":
            span.set_attribute(REQUEST_ID, request_id)

    def on_end(self, span):
        pass

    def _on_ending(self, span):
        pass

    def shutdown(self):
        pass

    def force_flush(self, timeout_millis=30000):
        return True


def _django_response_hook(span, request, response):
    """The server span starts before routing knows the organisation: name it on the way out."""
    if not span.is_recording():
        return
    tenant = getattr(request, "tenant", None)
    if tenant is not None and getattr(tenant, "pk", None) is not None:
        span.set_attribute(ORGANISATION, tenant.schema_name)
    if getattr(request, "request_id", None):
        span.set_attribute(REQUEST_ID, request.request_id)


def _exporter_from_env():
    name = os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() or "otlp"
    if name == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    if name != "otlp":
        logger.warning("OTEL_TRACES_EXPORTER=%s is not supported here; using otlp (http/protobuf)", name)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter()  # endpoint, headers, timeout from OTEL_EXPORTER_OTLP_*


def tracing_setup(*, role: str, exporter=None, set_global: bool = True):
    """Set up tracing for this process (`role`: web or worker); returns the provider, or None when
    tracing is off. Tests pass their own `exporter` and `set_global=False`."""
    if exporter is None and not tracing_enabled():
        return None
    from opentelemetry import trace
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.instrumentation.urllib3 import URLLib3Instrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME") or f"contract-broker-{role}"
    provider = TracerProvider(resource=Resource.create({"service.name": name, "broker.role": role}))
    provider.add_span_processor(ContextAttributesProcessor())
    provider.add_span_processor(BatchSpanProcessor(exporter or _exporter_from_env()))
    DjangoInstrumentor().instrument(tracer_provider=provider, response_hook=_django_response_hook)
    PsycopgInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    CeleryInstrumentor().instrument(tracer_provider=provider)
    RequestsInstrumentor().instrument(tracer_provider=provider)
    URLLib3Instrumentor().instrument(tracer_provider=provider)
    if set_global:
        trace.set_tracer_provider(provider)
    logger.info("tracing on: service %s", name)
    return provider


def tracing_teardown() -> None:
    """Undo the instrumentation (tests)."""
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.instrumentation.urllib3 import URLLib3Instrumentor

    for instrumentor in (
        DjangoInstrumentor(),
        PsycopgInstrumentor(),
        CeleryInstrumentor(),
        RequestsInstrumentor(),
        URLLib3Instrumentor(),
    ):
        instrumentor.uninstrument()
