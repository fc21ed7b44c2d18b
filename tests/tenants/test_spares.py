"""Spare organisation schemas: a sign-up renames one instead of cloning the template, the pool is
refilled off the request, and migrations retire spares made from an older template."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import User
from tenants import services
from tenants.spares import spare_schema_names, spare_schemas_drop, spare_schemas_fill
from tests.support.migrations import schema_put_one_migration_behind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("spares_parked")]


TEMPLATE = "tenant_template"


def _tables(schema: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
        return [row[0] for row in cursor.fetchall()]


def _migrations(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations')
        return cursor.fetchone()[0]


def test_the_pool_is_filled_from_the_template_up_to_the_setting(settings):
    settings.TENANT_SPARE_SCHEMAS = 2

    assert spare_schemas_fill() == 2
    assert spare_schemas_fill() == 0  # already full

    spares = spare_schema_names()
    assert len(spares) == 2
    assert all(_tables(spare) == _tables(TEMPLATE) for spare in spares)


def test_a_new_organisation_takes_a_spare_and_works_like_a_cloned_one():
    spare_schemas_fill(1)
    [spare] = spare_schema_names()

    tenant = services.tenant_provision(name="Initech", slug="initech")

    assert spare_schema_names() == [] and not schema_exists(spare)
    assert tenant.schema_name == "initech" and _tables("initech") == _tables(TEMPLATE)
    assert _migrations("initech") == _migrations(TEMPLATE)
    with schema_context("initech"):
        User.objects.create(email="peter@initech.example", name="Peter")
        assert User.objects.count() == 1


def test_with_no_spare_left_the_organisation_is_cloned():
    tenant = services.tenant_provision(name="Initrode", slug="initrode")

    assert schema_exists(tenant.schema_name) and _tables(tenant.schema_name) == _tables(TEMPLATE)


def test_migrating_the_template_retires_the_spares_made_from_it():
    spare_schemas_fill(1)
    schema_put_one_migration_behind(TEMPLATE)

    call_command("migrate_schemas", verbosity=0)

    assert spare_schema_names() == []
    assert spare_schemas_drop() == 0


def test_refills_are_capped_per_run_and_per_hour(settings):
    from tenants.tasks import spares_fill

    settings.TENANT_SPARE_SCHEMAS = 5
    settings.TENANT_SPARE_SCHEMAS_PER_FILL = 2
    settings.TENANT_SPARE_SCHEMAS_PER_HOUR = 3
    # The hourly count lives in the cache, whose keys carry the connection's schema
    # (django_tenants.cache.make_key): start where a worker's task starts, not in whatever schema an
    # earlier test (migrate_schemas) left the connection, or the first run counts under another key.
    connection.set_schema_to_public()

    made = [spares_fill.apply().get() for _ in range(3)]

    assert made == [2, 1, 0]
    assert len(spare_schema_names()) == 3
