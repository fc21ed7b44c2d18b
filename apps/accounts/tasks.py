"""Periodic work on accounts: the audit log's retention, and the token-expiry emails.

`accounts.audit_prune_all` (Celery beat, hourly: config/celery.py) only names the organisations; each
one's `accounts.audit_prune` runs inside its schema and removes the entries older than its plan's
`audit_retention_days` (billing/plans.py), a batch per statement so that no single DELETE holds
locks on a large log for long. The removal is itself audited (how many, up to when).

`accounts.token_expiry_alerts_all` (beat, hourly) does the same for `accounts.token_expiry_alerts`:
each token expiring within 7 days (or expired) whose owner keeps the personal preference
`tokenExpiryAlert` on gets one email to its owner, once: the token's `expiry_alert_sent_at` is set in
the same transaction that claims it (`select_for_update(skip_locked=True)`, so two runs never mail
the same token twice), and only regenerating under an expiry policy (a new lifetime) clears it.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.audit import audit_record
from apps.accounts.models import ApiToken, AuditEvent, User, UserPreference
from apps.accounts.preferences import ALERT_WINDOW, TOKEN_EXPIRY_ALERT
from apps.accounts.queries import current_tenant
from apps.core.tasks import tenant_task
from billing.plans import limits_for

logger = logging.getLogger(__name__)

PRUNE_BATCH = 5000


def audit_prune(*, retention_days: int | None, batch: int = PRUNE_BATCH) -> int:
    """Remove this organisation's entries older than `retention_days` (None: keep all); returns how
    many went."""
    if retention_days is None:
        return 0
    cutoff = timezone.now() - timedelta(days=retention_days)
    removed = 0
    while True:
        ids = list(AuditEvent.objects.filter(timestamp__lt=cutoff).order_by("id").values_list("id", flat=True)[:batch])
        if not ids:
            break
        removed += AuditEvent.objects.filter(id__in=ids).delete()[0]
    if removed:
        audit_record(
            action="audit.pruned",
            target=("audit", "", "audit log"),
            details={"removed": removed, "before": cutoff.isoformat(), "retentionDays": retention_days},
        )
    return removed


@tenant_task(name="accounts.audit_prune", soft_time_limit=600, time_limit=660)
def audit_prune_tenant(schema_name: str) -> int:
    tenant = current_tenant()
    if tenant is None:
        return 0
    return audit_prune(retention_days=limits_for(tenant).audit_retention_days)


@shared_task(name="accounts.audit_prune_all", soft_time_limit=60, time_limit=90)  # lists schemas, queues
def audit_prune_all() -> int:
    """Celery beat's entry: one `accounts.audit_prune` per organisation. Returns how many were queued."""
    from tenants.queries import tenant_schema_names

    schemas = tenant_schema_names()
    for schema_name in schemas:
        audit_prune_tenant.apply_async(args=[schema_name], expires=3600)
    return len(schemas)


def token_expiry_alerts_send() -> int:
    """Email the owners of tokens expired or expiring within 7 days, once per token; returns how
    many emails went. People only (system accounts have no mailbox); active owners with the alert on."""
    now = timezone.now()
    turned_off = UserPreference.objects.filter(user=OuterRef("user"), name=TOKEN_EXPIRY_ALERT, value=False)
    tenant = current_tenant()
    organisation = getattr(tenant, "name", None) or connection.schema_name
    sent = 0
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(
                revoked_at__isnull=True,
                expiry_alert_sent_at__isnull=True,
                expires_at__isnull=False,
                expires_at__lte=now + ALERT_WINDOW,
                user__is_active=True,
                user__kind=User.Kind.HUMAN,
            )
            .filter(~Exists(turned_off))
            .order_by("user_id", "expires_at")[:500]
        )
        if not tokens:
            return 0
        ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).update(expiry_alert_sent_at=now)
        for token in tokens:
            audit_record(
                actor=None,
                action="token.expiry_alert_sent",
                target=token,
                details={"token": str(token.uuid), "name": token.name, "expiresAt": token.expires_at.isoformat()},
            )
    for token in tokens:
        body = render_to_string(
            "accounts/email/token_expiry.txt",
            {"token": token, "user": token.user, "organisation": organisation, "expired": token.expires_at <= now},
        )
        try:
            send_mail(
                subject=f"Your API token {token.name!r} in {organisation} "
                + ("has expired" if token.expires_at <= now else "expires soon"),
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[token.user.email],
            )
            sent += 1
        except OSError:
            # Marked as sent all the same: an alert is a courtesy, never a flood of retries.
            logger.exception("token expiry alert could not be sent")
    return sent


@tenant_task(name="accounts.token_expiry_alerts", soft_time_limit=300, time_limit=360)
def token_expiry_alerts_tenant(schema_name: str) -> int:
    return token_expiry_alerts_send()


@shared_task(name="accounts.token_expiry_alerts_all", soft_time_limit=60, time_limit=90)  # lists schemas, queues
def token_expiry_alerts_all() -> int:
    """Celery beat's entry: one `accounts.token_expiry_alerts` per organisation."""
    from tenants.queries import tenant_schema_names

    schemas = tenant_schema_names()
    for schema_name in schemas:
        token_expiry_alerts_tenant.apply_async(args=[schema_name], expires=3600)
    return len(schemas)
