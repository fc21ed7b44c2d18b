"""`tenant_task` runs a task inside its organisation: the schema and the organisation itself (its plan),
as a request would see them; a task for an organisation gone since it was queued is dropped."""

import pytest
from django.db import connection

from apps.core.tasks import tenant_task
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


@tenant_task(name="tests.tenant_task_probe")
def probe(schema_name: str) -> tuple[str, str, str | None]:
    return connection.schema_name, connection.tenant.schema_name, getattr(connection.tenant, "plan", None)


def test_the_task_runs_in_its_organisation_with_its_plan(acme, outsider):
    Tenant.objects.filter(pk=acme.tenant.pk).update(plan="business")

    assert probe(acme.schema) == (acme.schema, acme.schema, "business")
    assert probe(outsider.schema) == (outsider.schema, outsider.schema, outsider.tenant.plan)
    assert connection.schema_name == "public"


def test_a_task_for_a_deleted_organisation_is_dropped():
    assert probe("org_that_never_was") is None
