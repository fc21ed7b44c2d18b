"""Which tenant schemas are behind the code's migrations.

A no-op `migrate_schemas` over many tenants is slow in django-tenants because it runs Django's full
migrate command (graph load, state render, checks) once per schema. We instead read each schema's
`django_migrations` once and compare it with the migrations on disk, so only schemas that are
actually behind are handed to the migration executor.
"""

import functools

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name, schema_context

from tenants import placement


def tenant_app_labels() -> set[str]:
    from django.apps import apps

    labels = set()
    for app_config in apps.get_app_configs():
        if app_config.name in settings.TENANT_APPS:
            labels.add(app_config.label)
    return labels


def expected_tenant_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    labels = tenant_app_labels()
    return {key for key in loader.disk_migrations if key[0] in labels}


def shared_app_labels() -> set[str]:
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name in settings.SHARED_APPS}


@functools.cache
def _expected_on_disk() -> tuple[frozenset, frozenset]:
    """(public, tenant) migrations of this release's code: read from disk once per process."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    shared, tenant = shared_app_labels(), tenant_app_labels()
    return (
        frozenset(key for key in loader.disk_migrations if key[0] in shared),
        frozenset(key for key in loader.disk_migrations if key[0] in tenant),
    )


def migrations_pending() -> list[str]:
    """The schemas (public, the template, organisations) missing a migration of this code: empty when
    `migrate_schemas` has finished. Readiness asks this until it is empty once (tenants/health.py)."""
    from django_tenants.utils import get_tenant_base_schema

    public_expected, _ = _expected_on_disk()
    public = get_public_schema_name()
    with schema_context(public), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{public}".django_migrations'])
        if not cursor.fetchone()[0]:
            return [public]
        cursor.execute(f'SELECT app, name FROM "{public}".django_migrations')
        pending = [] if public_expected <= set(cursor.fetchall()) else [public]
    if pending:
        return pending  # the tenant tables may not exist yet either
    template = get_tenant_base_schema()
    # An organisation whose schema is missing cannot be migrated: `migrate_schemas` reports and skips
    # it, so it must not hold readiness back for everyone else either.
    from tenants.queries import tenant_schema_names_by_server

    behind = []
    for alias, organisations in tenant_schema_names_by_server().items():  # tenants/placement.py
        with placement.unreachable_skipped(alias, "readiness"), placement.organisation_server(alias):
            missing = missing_schemas(organisations)
            organisations = [schema for schema in organisations if schema not in missing]
            behind += schemas_behind(([template] if template else []) + organisations, expected=_expected_on_disk()[1])
    return behind


def missing_schemas(schema_names: list[str]) -> set[str]:
    """Those of the given schemas that do not exist."""
    with schema_context(get_public_schema_name()), connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(schema_names)])
        return set(schema_names) - {row[0] for row in cursor.fetchall()}


def schemas_behind(schema_names: list[str], expected: set | frozenset | None = None) -> list[str]:
    """The schemas, in the given order, missing any tenant migration that exists on disk."""
    expected = expected_tenant_migrations() if expected is None else expected
    behind = []
    with schema_context(get_public_schema_name()), connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'django_migrations' AND table_schema <> %s",
            [get_public_schema_name()],
        )
        with_table = {row[0] for row in cursor.fetchall()}
        for schema in schema_names:
            if schema not in with_table:
                behind.append(schema)
                continue
            cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
            if not expected <= set(cursor.fetchall()):
                behind.append(schema)
    return behind
