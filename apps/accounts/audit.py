"""The audit log: who changed what, when, and from which address.

Every write service of every app records its entry inside its own transaction, so an entry exists
exactly when the change does: a failed or rolled-back write leaves none. A service that writes many
things in one request (publishing contracts) builds its entries with `audit_entry(...)` and inserts
them with one `audit_entries_insert(...)`, one statement however many.

Who and from where come from the request being served, kept in a context variable by
`apps/accounts/middleware.py:AuditContextMiddleware`, so services need neither a request nor an actor
argument: the principal is read when the entry is written (after authentication), from
`request.user` and `request.auth`. The principal is a person, a system account (and the API token
that authenticated it, by name and uuid, never its secret), a self-hosted broker's basic-auth user,
platform staff (users of the public schema, named by email, no row in the organisation), or, with no
request (Celery tasks), the broker itself. An explicit `actor` wins over the request's.

Details are facts, never secrets: names and uuids of secrets, never values; no token secrets; no
webhook credentials or headers. Settings changes carry `{"before": ..., "after": ...}` of the fields
that changed (`changes(...)`).
"""

import contextvars
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, models
from django_tenants.utils import get_public_schema_name

from apps.accounts.models import ApiToken, AuditEvent, User


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None
    user_agent: str
    request_id: str
    method: str = ""
    path: str = ""
    # The request itself, to read its principal once authentication has run (None in tests that
    # build a RequestInfo by hand).
    request: object = field(default=None, compare=False, repr=False)


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
        method=(getattr(request, "method", "") or "")[:10],
        path=(getattr(request, "path", "") or "")[:255],
        request=request,
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


@dataclass(frozen=True)
class Principal:
    row: User | None
    email: str
    kind: str
    token_uuid: object = None
    token_name: str = ""


def _principal(actor, info: RequestInfo | None) -> Principal:
    """Who acts: `actor` when given, else the authenticated principal of the request being served."""
    request = info.request if info is not None else None
    if actor is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and getattr(candidate, "is_authenticated", False):
            actor = candidate
    if actor is None:
        return Principal(None, "", AuditEvent.ActorKind.SYSTEM)
    email = (getattr(actor, "email", "") or "")[:254]
    if not isinstance(actor, User):
        # Not a database row: a self-hosted broker's basic-auth user, or a platform operator running
        # a management command (tenants/operations.py).
        kind = AuditEvent.ActorKind.BASIC_AUTH if getattr(actor, "kind", "") == "basic" else None
        return Principal(None, email, kind or AuditEvent.ActorKind.PLATFORM_STAFF)
    if actor.is_staff:
        # Platform staff are users of the public schema: their row is only theirs there.
        row = actor if connection.schema_name == get_public_schema_name() and actor.pk else None
        return Principal(row, email, AuditEvent.ActorKind.PLATFORM_STAFF)
    kind = AuditEvent.ActorKind.SYSTEM_ACCOUNT if actor.kind == User.Kind.SYSTEM else AuditEvent.ActorKind.USER
    token = getattr(request, "auth", None) if request is not None else None
    if isinstance(token, ApiToken) and token.user_id == actor.pk:
        return Principal(actor if actor.pk else None, email, kind, token.uuid, token.name[:100])
    return Principal(actor if actor.pk else None, email, kind)


def changes(before: dict, after: dict) -> dict:
    """`{"before": {...}, "after": {...}}` of the keys whose values differ (for settings changes)."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    return {"before": {key: before.get(key) for key in changed}, "after": {key: after.get(key) for key in changed}}


def audit_entry(
    *, action: str, target=None, details: dict | None = None, actor=None, request=None, info: RequestInfo | None = None
) -> AuditEvent:
    """One unsaved audit entry (see `audit_record`); insert a list with `audit_entries_insert`."""
    if info is None:
        info = request_info(request) if request is not None else _current_request.get()
    principal = _principal(actor, info)
    target_type, target_id, target_label = _describe(target)
    return AuditEvent(
        actor=principal.row,
        actor_email=principal.email,
        actor_kind=principal.kind,
        token_uuid=principal.token_uuid,
        token_name=principal.token_name,
        action=action[:64],
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        details=details or {},
        ip=info.ip if info else None,
        user_agent=info.user_agent if info else "",
        request_id=info.request_id if info else "",
        method=info.method if info else "",
        path=info.path if info else "",
    )


def audit_entries_insert(entries: list[AuditEvent]) -> None:
    """Insert entries built by `audit_entry` with one statement (none when the list is empty)."""
    if entries:
        AuditEvent.objects.bulk_create(entries)


def audit_record(
    *,
    action: str,
    target=None,
    details: dict | None = None,
    actor=None,
    request=None,
    info: RequestInfo | None = None,
) -> AuditEvent:
    """Record one audit entry in the current organisation's schema, in the open transaction.

    `actor` is a user or another principal, or None for the request's own principal (the broker
    itself outside a request); `action` a dotted name like "user.deactivated"; `target` a model
    instance, a (type, id, label) tuple or a string; `details` JSON-serialisable facts, never secrets.
    """
    entry = audit_entry(action=action, target=target, details=details, actor=actor, request=request, info=info)
    entry.save()
    return entry
