"""The import of Settings > Import runs in a Celery worker, inside the organisation's schema."""

from django.conf import settings
from django_tenants.utils import tenant_context

from apps.core.tasks import tenant_task
from tenants.models import Tenant

from .importer import run_import
from .models import ImportRun

RUN_IMPORT = "broker_import.run"


# No time limit: a big broker takes a while, and a cancelled or killed run continues from its
# checkpoint when started again. Not acks_late: a redelivered message would start a second copy.
# Bounded like every task; an import stopped by the limit continues where it stopped when started again.
@tenant_task(name=RUN_IMPORT, soft_time_limit=6 * 3600, time_limit=6 * 3600 + 60)
def broker_import_run(
    schema_name: str, run_id: int, token: str | None = None, username: str | None = None, password: str | None = None
) -> str | None:
    """The credentials travel in the message only (never stored here): a run continued later asks
    for them again."""
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.status != ImportRun.Status.QUEUED:
        return None  # cancelled before it started, or already taken
    # The organisation itself, not only its schema: the plan's limits apply to what is imported.
    with tenant_context(Tenant.objects.get(schema_name=schema_name)):
        run = run_import(
            run,
            token=token,
            username=username,
            password=password,
            allow_private=settings.BROKER_IMPORT_ALLOW_PRIVATE,
            workers=settings.BROKER_IMPORT_WORKERS,
        )
    return run.status
