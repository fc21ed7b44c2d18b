"""Failed bearer-token authentications: counted, logged and audited, never with the token.

A token that fails (unknown, revoked, expired, owner deactivated) is recorded as:
- a per-organisation counter in the cache (`token_failures_count()`; the cache key carries the
  schema), total and per UTC day, and a warning log line with the running total;
- an audit entry `token.authentication_failed` whose details name the reason, the token's kind
  (`cbt_ro` / `cbt_rw` / `other`: the non-secret type prefix) and a fingerprint: the first 12 hex
  characters of the SHA-256 we would have looked up. The fingerprint identifies a token to someone
  who holds it (sha256 it) and reveals nothing of it; the secret itself is never written anywhere.
  A token we know (revoked, expired) is named by its uuid and stored display prefix.

The unsafe API requests run in one transaction that is rolled back on the 401, which would roll the
audit row back too; so during a request the entry is queued and written by `AuditContextMiddleware`
after the response, inside the organisation's schema recorded at the failure. At most
TOKEN_FAILURE_AUDIT_PER_MINUTE entries per client address and minute are written (a token spray
must not turn into a write amplifier); the counter counts every failure.
"""

import contextvars
import hashlib
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.audit import audit_record, current_request_info
from apps.accounts.tokens import TOKEN_PREFIX

logger = logging.getLogger(__name__)

TOKEN_FAILURE_AUDIT_PER_MINUTE = 20
_TOTAL_KEY = "token-auth-failures:total"


@dataclass(frozen=True)
class TokenFailure:
    schema_name: str
    reason: str
    details: dict
    info: object  # audit.RequestInfo of the request, if any


# The failures of the request being served, written after its response (None outside a request).
pending_failures: contextvars.ContextVar[list | None] = contextvars.ContextVar("token_failures", default=None)


def token_fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:12]


def token_kind(secret: str) -> str:
    for kind in ("ro", "rw"):
        if secret.startswith(f"{TOKEN_PREFIX}{kind}_"):
            return f"{TOKEN_PREFIX}{kind}"
    return "other"


def _incr(key: str, ttl: int | None) -> int:
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, ttl)
        return 1


def _count() -> int:
    _incr(f"token-auth-failures:{timezone.now():%Y-%m-%d}", 2 * 86400)
    return _incr(_TOTAL_KEY, None)


def token_failures_count(day=None) -> int:
    """Failed token authentications in the current organisation (all time, or on a `date`)."""
    key = _TOTAL_KEY if day is None else f"token-auth-failures:{day:%Y-%m-%d}"
    return int(cache.get(key) or 0)


def token_failure_record(*, secret: str, reason: str, token=None) -> None:
    total = _count()
    info = current_request_info()
    details = {"reason": reason, "kind": token_kind(secret), "fingerprint": token_fingerprint(secret)}
    if token is not None:
        details.update(token=str(token.uuid), prefix=token.prefix, owner=token.user.email)
    logger.warning(
        "token authentication failed",
        extra={"reason": reason, "fingerprint": details["fingerprint"], "failures_total": total},
    )
    ip = getattr(info, "ip", None) or "-"
    if _incr(f"token-auth-failures:audit:{ip}:{timezone.now():%Y%m%d%H%M}", 120) > TOKEN_FAILURE_AUDIT_PER_MINUTE:
        return
    failure = TokenFailure(schema_name=connection.schema_name, reason=reason, details=details, info=info)
    queued = pending_failures.get()
    if queued is None:
        token_failure_audit(failure)
    else:
        queued.append(failure)


def token_failure_audit(failure: TokenFailure) -> None:
    with schema_context(failure.schema_name):
        audit_record(
            actor=None,
            action="token.authentication_failed",
            target=("apitoken", failure.details.get("token", ""), failure.details["fingerprint"]),
            details=failure.details,
            info=failure.info,
        )


def pending_failures_write(failures: list) -> None:
    for failure in failures:
        try:
            token_failure_audit(failure)
        except Exception:  # an audit write must never turn a 401 into a 500
            logger.exception("could not audit a failed token authentication")
