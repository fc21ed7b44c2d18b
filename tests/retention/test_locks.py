"""The clean-up never waits for long on a lock a request holds: the batch gives way and is retried later."""

import psycopg
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.contracts.models import Version
from apps.retention.services import organisation_clean
from tests.retention.test_clean import OLD
from tests.support import factories
from tests.support.tenancy import org_create


@pytest.fixture
def committed_org(transactional_db):
    org = org_create("locked")
    yield org
    connection.set_schema_to_public()
    org.tenant.delete(force_drop=True)


def test_a_batch_meeting_a_locked_version_gives_way_and_the_rest_is_deleted(committed_org):
    with schema_context(committed_org.schema):
        for number in ("1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.0.5"):
            factories.pact_publish("Web", number, "API", at=OLD, description=number)
        locked_id = Version.objects.get(number="1.0.2").pk
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=False
    )
    try:
        # A request in the middle of writing to version 1.0.2 (e.g. tagging it).
        holder.execute(
            f'SELECT 1 FROM "{committed_org.schema}".contracts_version WHERE id = %s FOR UPDATE', [locked_id]
        )
        with schema_context(committed_org.schema):
            report = organisation_clean(keep_selectors=[], plan_days=90, dry_run=False, batch=2)
            remaining = sorted(Version.objects.filter(pacticipant__name="Web").values_list("number", flat=True))
    finally:
        holder.rollback()
        holder.close()
    # Batches of two: (1.0.1, 1.0.2) gave way; 1.0.3 and 1.0.4 went; 1.0.5 is the latest.
    assert report["skipped_locked"] == 2
    assert remaining == ["1.0.1", "1.0.2", "1.0.5"]
    with schema_context(committed_org.schema):
        organisation_clean(keep_selectors=[], plan_days=90, dry_run=False, batch=2)  # the next pass
        assert sorted(Version.objects.filter(pacticipant__name="Web").values_list("number", flat=True)) == ["1.0.5"]
