"""A small pool of spare organisation schemas, so a sign-up does not wait for a clone.

Cloning the template (django-tenants' `clone_schema`) costs about 0.5 s in a young database and 6-8 s
once a thousand organisations exist, because its catalog queries grow with the number of schemas.
Spares are cloned ahead of time, off the request (`tenants.spares_fill`, on Celery beat and after each
sign-up), and a new organisation takes one by renaming it (`ALTER SCHEMA ... RENAME`, milliseconds
whatever the size of the catalog). With no spare left, provisioning clones as before.

Spares are clones of the template, so they are only as current as the template was:
`migrate_schemas` drops them all after migrating, and the next fill makes fresh ones.
"""
import logging
import uuid

from django.conf import settings
from django.db import connection, transaction
from django_tenants.clone import CloneSchema
from django_tenants.utils import get_tenant_base_schema, schema_exists

logger = logging.getLogger(__name__)

PREFIX = "spare_"


def spare_schema_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname",
                       [PREFIX])
        return [row[0] for row in cursor.fetchall()]


def spare_schema_take(schema_name: str) -> bool:
    """Rename one spare to `schema_name` inside the caller's transaction; False when none is free.
    A spare being taken by another transaction is skipped (transaction-level advisory lock)."""
    for spare in spare_schema_names():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [spare])
            if not cursor.fetchone()[0] or not schema_exists(spare):
                continue
            cursor.execute(f'ALTER SCHEMA "{spare}" RENAME TO "{schema_name}"')
        return True
    return False


def spare_schemas_fill(count: int | None = None) -> int:
    """Clone spares from the template until `count` (TENANT_SPARE_SCHEMAS) exist; returns how many
    were made. Each clone is its own transaction."""
    from tenants.models import statement_timeout_lifted

    wanted = settings.TENANT_SPARE_SCHEMAS if count is None else count
    if settings.SINGLE_TENANT:  # a self-hosted broker never signs anyone up
        return 0
    template = get_tenant_base_schema()
    if not template or not schema_exists(template):
        return 0
    made = 0
    while len(spare_schema_names()) < wanted:
        name = f"{PREFIX}{uuid.uuid4().hex[:12]}"
        with transaction.atomic(), statement_timeout_lifted():
            CloneSchema().clone_schema(template, name, "DATA")
        made += 1
    return made


def spare_schemas_drop() -> int:
    """Drop every spare (after migrations: they are copies of the template as it was)."""
    from tenants.models import statement_timeout_lifted

    names = spare_schema_names()
    for name in names:
        with transaction.atomic(), statement_timeout_lifted():
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    return len(names)
