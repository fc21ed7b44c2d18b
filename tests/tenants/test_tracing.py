"""OpenTelemetry: off by default, on with OTEL_* variables; organisation and request id on spans and logs."""

import json
import logging

import pytest
from django.conf import settings
from django.test import Client

from config.tracing import ORGANISATION, REQUEST_ID, tracing_enabled


@pytest.mark.parametrize(
    "environ, enabled",
    [
        ({}, False),
        ({"OTEL_SERVICE_NAME": "broker"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, False),
        ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, False),
    ],
)
def test_tracing_is_off_unless_the_standard_variables_turn_it_on(environ, enabled):
    assert tracing_enabled(environ) is enabled


def test_without_otel_variables_the_web_process_sets_up_nothing(monkeypatch):
    from config.tracing import tracing_setup

    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER"):
        monkeypatch.delenv(name, raising=False)

    assert tracing_setup(role="web") is None
    assert not any("opentelemetry" in name for name in settings.MIDDLEWARE)


@pytest.fixture
def traced():
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from config.tracing import tracing_setup, tracing_teardown

    exporter = InMemorySpanExporter()
    provider = tracing_setup(role="web", exporter=exporter, set_global=False)
    try:
        yield provider, exporter
    finally:
        tracing_teardown()
        provider.shutdown()


@pytest.mark.django_db
def test_a_request_span_names_the_route_organisation_and_request_id(acme, traced):
    provider, exporter = traced
    client = Client(HTTP_HOST=acme.host, HTTP_AUTHORIZATION=f"Bearer {acme.token}")  # loads the middleware anew

    client.get("/pacticipants/Nobody", HTTP_X_REQUEST_ID="req-trace-1", HTTP_ACCEPT="application/hal+json")
    provider.force_flush()

    [server] = [span for span in exporter.get_finished_spans() if span.kind.name == "SERVER"]
    assert server.attributes[ORGANISATION] == "acme"
    assert server.attributes[REQUEST_ID] == "req-trace-1"
    assert (
        server.attributes[
            "http.response.status_code" if "http.response.status_code" in server.attributes else "http.status_code"
        ]
        == 404
    )
    assert "Nobody" not in server.name  # named by route, not by URL


@pytest.mark.django_db
def test_spans_and_log_lines_inside_a_request_carry_organisation_request_and_trace(traced, json_log):
    from apps.core.log_context import current_request_id, current_tenant

    provider, exporter = traced
    tenant, request_id = current_tenant.set("globex"), current_request_id.set("req-7")
    try:
        with provider.get_tracer("test").start_as_current_span("SELECT"):
            logging.getLogger("django.request").warning("inside")
    finally:
        current_tenant.reset(tenant)
        current_request_id.reset(request_id)
    provider.force_flush()

    [span] = exporter.get_finished_spans()
    assert span.attributes[ORGANISATION] == "globex"
    assert span.attributes[REQUEST_ID] == "req-7"
    [line] = [json.loads(raw) for raw in json_log.getvalue().splitlines()]
    assert (line["tenant"], line["request_id"]) == ("globex", "req-7")
    assert line["trace_id"] == format(span.context.trace_id, "032x")
    assert line["span_id"] == format(span.context.span_id, "016x")


def test_log_lines_outside_a_span_have_no_trace_id():
    from config.logging import RequestContextFilter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    RequestContextFilter().filter(record)

    assert (record.trace_id, record.span_id) == ("-", "-")
