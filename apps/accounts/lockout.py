"""Sign-in lock-out after repeated failures, counted in the organisation's own schema.

Two counters per attempt, both atomic (row lock on a unique key):
- email + client address: LOGIN_FAILURE_LIMIT failures lock that pair for LOGIN_LOCKOUT_SECONDS.
  Someone guessing from one place is stopped; the same person from elsewhere, and everyone else
  behind the same proxy, can still sign in (no lock-out of a whole office by one attacker).
- email alone, with LOGIN_FAILURE_LIMIT_PER_EMAIL (default 4x): stops guessing spread over many
  addresses, at the price that a determined attacker can lock one email for a while.

We wrote this instead of using django-axes: axes' authentication backend refuses `authenticate()`
calls without a request (which breaks `Client.login()` in everyone's tests), and a table in the
tenant schema gives per-organisation isolation by construction.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import LoginThrottle


def _key(*parts: str) -> str:
    return hashlib.sha256("|".join([connection.schema_name, *parts]).encode()).hexdigest()


def _keys(email: str, ip: str | None) -> list[tuple[str, int]]:
    email = (email or "").strip().lower()
    return [
        (_key("email+ip", email, ip or "-"), settings.LOGIN_FAILURE_LIMIT),
        (_key("email", email), settings.LOGIN_FAILURE_LIMIT_PER_EMAIL),
    ]


def lockout_remaining(*, email: str, ip: str | None) -> timedelta | None:
    """How long sign-in stays refused for this email from this address, or None."""
    now = timezone.now()
    keys = [key for key, _ in _keys(email, ip)]
    until = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return until - now if until else None


@transaction.atomic
def login_failure_record(*, email: str, ip: str | None) -> bool:
    """Count a failed sign-in; True if it just caused a lock-out."""
    now = timezone.now()
    window = timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    locked_now = False
    for key, limit in _keys(email, ip):
        # ON CONFLICT DO NOTHING: concurrent first failures must not abort each other.
        LoginThrottle.objects.bulk_create([LoginThrottle(key=key, window_started_at=now)], ignore_conflicts=True)
        row = LoginThrottle.objects.select_for_update().get(key=key)
        if now - row.window_started_at > window:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= limit and (row.locked_until is None or row.locked_until <= now):
            row.locked_until = now + window
            row.failures = 0
            row.window_started_at = now
            locked_now = True
        row.save()
    return locked_now


@transaction.atomic
def login_success_record(*, email: str, ip: str | None) -> None:
    LoginThrottle.objects.filter(key__in=[key for key, _ in _keys(email, ip)]).delete()
