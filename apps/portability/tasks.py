"""The export task: builds an archive asked for from the UI. Time limits in seconds: the `big`
benchmark organisation exports in well under two minutes; an hour leaves room for much larger ones."""

from django_tenants.utils import get_public_schema_name, schema_context

from apps.core.tasks import tenant_task
from apps.portability.services.jobs import EXPORT_TASK, export_build
from tenants.models import Tenant


@tenant_task(name=EXPORT_TASK, soft_time_limit=3600, time_limit=3660)
def export(schema_name: str, job_uuid: str) -> str:
    with schema_context(get_public_schema_name()):
        tenant = Tenant.objects.get(schema_name=schema_name)
    job = export_build(schema_name=schema_name, slug=tenant.slug, name=tenant.name, job_uuid=job_uuid)
    return job.status
