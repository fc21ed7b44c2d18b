"""Which tenant schemas are behind the code's migrations.

A no-op `migrate_schemas` over many tenants is slow in django-tenants because it runs Django's full
migrate command (graph load, state render, checks) once per schema. We instead read each schema's
`django_migrations` once and compare it with the migrations on disk, so only schemas that are
actually behind are handed to the migration executor.
"""
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name


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


def schemas_behind(schema_names: list[str]) -> list[str]:
    """The schemas, in the given order, missing any tenant migration that exists on disk."""
    expected = expected_tenant_migrations()
    behind = []
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
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
