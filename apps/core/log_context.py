"""Who a log line (and a span) is about: the organisation's schema and the request id, for the
request being served or the task being run. The routing middleware (tenants/middleware.py) and
`apps.core.tasks.tenant_task` set them; config/logging.py and config/tracing.py read them."""

import contextvars

current_tenant: contextvars.ContextVar[str] = contextvars.ContextVar("tenant", default="-")
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
