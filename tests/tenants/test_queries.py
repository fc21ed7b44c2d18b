"""Reads on the platform's tables say where they read (`schema_context`) and leave the connection's schema
as they found it: no read switches the schema as a side effect."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from billing.queries import organisations_overview
from tenants import queries
from tenants.metrics import platform_facts
from tenants.migration_state import migrations_pending, missing_schemas, schemas_behind
from tenants.routing_cache import forget_host


@pytest.mark.django_db
def test_platform_reads_leave_the_connection_in_the_organisation_they_found_it_in(acme, outsider):
    reads = {
        "tenant_for_host": lambda: queries.tenant_for_host(acme.host),
        "tenant_for_host (cached)": lambda: queries.tenant_for_host(acme.host),
        "tenant_for_host (unknown)": lambda: queries.tenant_for_host("nobody.localhost"),
        "single_tenant": queries.single_tenant,
        "tenant_schema_names": queries.tenant_schema_names,
        "forget_host": lambda: forget_host(acme.host),
        "missing_schemas": lambda: missing_schemas([outsider.tenant.schema_name]),
        "schemas_behind": lambda: schemas_behind([outsider.tenant.schema_name]),
        "migrations_pending": migrations_pending,
        "platform_facts": platform_facts,
        "organisations_overview": organisations_overview,
    }
    with schema_context(acme.tenant.schema_name):
        for name, read in reads.items():
            read()
            assert connection.schema_name == acme.tenant.schema_name, name


@pytest.mark.django_db
def test_the_routing_cache_is_shared_by_every_schema(acme, outsider):
    with schema_context(outsider.tenant.schema_name):
        assert queries.tenant_for_host(acme.host) == acme.tenant
    with schema_context(acme.tenant.schema_name), connection.execute_wrapper(_no_sql):
        assert queries.tenant_for_host(acme.host) == acme.tenant  # a hit, whoever asks


def _no_sql(execute, sql, params, many, context):
    raise AssertionError(f"a cached route ran SQL: {sql}")
