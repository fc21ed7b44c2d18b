"""Request context carried into every log line (tenant schema, request id, and the trace and span
ids when tracing is on: config/tracing.py)."""

import logging

from opentelemetry import trace

from apps.core.log_context import current_request_id, current_tenant


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.tenant = current_tenant.get()
        record.request_id = current_request_id.get()
        record.trace_id, record.span_id = _trace_ids()
        return True


def _trace_ids() -> tuple[str, str]:
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return "-", "-"
    return format(context.trace_id, "032x"), format(context.span_id, "016x")
