"""The audit log: who changed what, when, and from which address.

Every write in apps.accounts records its entry inside its own transaction (so an entry exists
exactly when the change does). Other apps call `audit_record(...)` the same way for changes to
secrets, SSO settings, subscriptions.

The client address comes from the request given, or else from the request being served (kept in
a context variable by `apps/accounts/middleware.py:AuditContextMiddleware`), so services need no request
argument.
"""

import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.db import models

from apps.accounts.models import AuditEvent


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    user_agent: str
    request_id: str


_current_request: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("audit_request", default=None)


def client_ip(request) -> str | None:
    """The client's address. Behind a trusted proxy, the right-most X-Forwarded-For entry: the
    one our proxy appended (left-most entries are whatever the client chose to send)."""
    if settings.TRUST_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None


def request_info(request) -> RequestInfo:
    return RequestInfo(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        request_id=getattr(request, "request_id", "")[:64],
    )


def request_info_set(info: RequestInfo):
    """Make `info` the request being served; returns the token for `request_info_reset`."""
    return _current_request.set(info)


def request_info_reset(token) -> None:
    _current_request.reset(token)


def current_request_info() -> RequestInfo | None:
    return _current_request.get()


def _describe(target) -> tuple[str, str, str]:
    """(type, id, label) of a model instance, a (type, id, label) tuple, or a plain string."""
    if target is None:
        return "", "", ""
    if isinstance(target, tuple):
        kind, ident, label = (list(target) + ["", "", ""])[:3]
        return str(kind)[:50], str(ident)[:64], str(label)[:255]
    if isinstance(target, models.Model):
        kind = target._meta.model_name
        ident = getattr(target, "uuid", None) or target.pk
        label = getattr(target, "email", None) or getattr(target, "name", None) or str(target)
        return kind[:50], str(ident)[:64], str(label)[:255]
    return "", "", str(target)[:255]


def audit_record(
    *, actor, action: str, target=None, details: dict | None = None, request=None, info: RequestInfo | None = None
) -> AuditEvent:
    """Record one audit entry in the current organisation's schema.

    `actor` is a user (or None for the system itself, or a non-database principal); `action` a
    dotted name like "user.deactivated"; `target` a model instance, a (type, id, label) tuple or
    a string; `details` JSON-serialisable facts, never secrets.
    """
    if info is None:
        info = request_info(request) if request is not None else _current_request.get()
    target_type, target_id, target_label = _describe(target)
    actor_row = actor if isinstance(actor, models.Model) and actor.pk is not None else None
    return AuditEvent.objects.create(
        actor=actor_row,
        actor_email=(getattr(actor, "email", "") or "")[:254],
        action=action[:64],
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        details=details or {},
        ip=info.ip if info else None,
        user_agent=info.user_agent if info else "",
        request_id=info.request_id if info else "",
    )
