"""Retention tasks: a daily fan-out over every organisation, and one clean-up per organisation.

Time limits in seconds: one organisation's pass stops starting batches after CLEAN_MAX_SECONDS (the
next day's pass continues where the history still exceeds the policy), well inside the soft limit.
"""

from celery import shared_task
from django.conf import settings
from django.db import connection

from apps.core.tasks import tenant_task
from apps.retention.services import organisation_clean, retention_policy_get
from billing.plans import limits_for
from tenants.models import Tenant
from tenants.queries import tenant_schema_names

CLEAN_TASK = "retention.clean"


@tenant_task(name=CLEAN_TASK, soft_time_limit=3600, time_limit=3660)
def clean(schema_name: str, dry_run: bool | None = None) -> dict:
    tenant = _tenant(schema_name)
    policy = retention_policy_get()
    return organisation_clean(
        keep_selectors=policy.keep_selectors,
        plan_days=limits_for(tenant).plan.retention_days,
        dry_run=policy.dry_run if dry_run is None else dry_run,
        max_seconds=settings.RETENTION_CLEAN_MAX_SECONDS,
    )


def _tenant(schema_name: str):
    from django_tenants.utils import get_public_schema_name, schema_context

    with schema_context(get_public_schema_name()):
        return Tenant.objects.get(schema_name=schema_name)


@shared_task(name="retention.clean_all", soft_time_limit=300, time_limit=360)
def clean_all() -> int:
    """Queue one clean-up per organisation (each runs in its own task, in its own schema)."""
    connection.set_schema_to_public()
    schemas = tenant_schema_names()
    for schema_name in schemas:
        clean.delay(schema_name)
    return len(schemas)
