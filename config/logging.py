"""Request context carried into every log line (tenant schema and request id)."""
import contextvars
import logging

current_tenant: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.tenant = current_tenant.get()
        record.request_id = current_request_id.get()
        return True
