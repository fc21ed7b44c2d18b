"""Periodic work on accounts: the audit log's retention.

`accounts.audit_prune_all` (Celery beat, hourly: config/celery.py) only names the organisations; each
one's `accounts.audit_prune` runs inside its schema and removes the entries older than its plan's
`audit_retention_days` (billing/plans.py), a batch per statement so that no single DELETE holds
locks on a large log for long. The removal is itself audited (how many, up to when).
"""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.accounts.audit import audit_record
from apps.accounts.models import AuditEvent
from apps.accounts.queries import current_tenant
from apps.core.tasks import tenant_task
from billing.plans import limits_for

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
