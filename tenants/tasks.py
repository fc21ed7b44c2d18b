"""Celery tasks of the platform. Time limits in seconds (soft raises in the task, hard kills the worker
process): the pings answer at once; the pool fill clones up to TENANT_SPARE_SCHEMAS_PER_FILL schemas
(seconds each, minutes on a busy database server); removing unconfirmed organisations drops schemas,
hourly."""

from celery import shared_task

from apps.core.tasks import tenant_task
from tenants.closing import closed_organisations_delete
from tenants.services import SPARES_FILL_TASK, unconfirmed_organisations_remove
from tenants.spares import spare_pools_fill

PING_LIMITS = {"soft_time_limit": 10, "time_limit": 20}


@tenant_task(name="tenants.tenant_ping", **PING_LIMITS)
def tenant_ping(schema_name: str) -> dict:
    """Report which schema a worker ran in and what it saw there (used by readiness and tests)."""
    from django.db import connection

    from apps.accounts.models import User

    return {"schema": connection.schema_name, "users": sorted(User.objects.values_list("email", flat=True))}


@shared_task(name=SPARES_FILL_TASK, soft_time_limit=600, time_limit=660)
def spares_fill() -> int:
    """Keep TENANT_SPARE_SCHEMAS spare schemas ready for sign-ups on every database server
    (tenants/spares.py); returns how many were made."""
    return sum(spare_pools_fill().values())


@tenant_task(name="tenants.context_ping", **PING_LIMITS)
def context_ping(schema_name: str) -> dict:
    """The organisation and request id a worker's log lines carry for this task (tests, operators)."""
    from apps.core.log_context import current_request_id, current_tenant

    return {"organisation": current_tenant.get(), "request_id": current_request_id.get()}


@shared_task(name="tenants.unconfirmed_remove", soft_time_limit=1800, time_limit=1860)
def unconfirmed_remove() -> list[str]:
    """Remove organisations whose sign-up was never confirmed (SIGNUP_UNCONFIRMED_REMOVE_AFTER)."""
    return unconfirmed_organisations_remove()


@shared_task(name="tenants.closed_delete", soft_time_limit=3000, time_limit=3060)
def closed_delete() -> list[str]:
    """Delete organisations closed longer ago than their grace period (tenants/closing.py)."""
    return closed_organisations_delete()
