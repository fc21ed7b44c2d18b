"""A small pool of spare organisation schemas, so a sign-up does not wait for a clone.

Cloning the template (django-tenants' `clone_schema`) costs about 0.5 s in a young database and 6-8 s
once a thousand organisations exist, because its catalog queries grow with the number of schemas.
Spares are cloned ahead of time, off the request (`tenants.spares_fill`, on Celery beat and after each
sign-up), and a new organisation takes one by renaming it (`ALTER SCHEMA ... RENAME`, milliseconds
whatever the size of the catalog). With no spare left, provisioning clones as before.

Spares are clones of the template, so they are only as current as the template was:
`migrate_schemas` drops them all after migrating the template, and the next fill makes fresh ones.

Security: the pool renames and drops schemas, so it must never mistake an organisation's schema for
a spare. Spares used to be named `spare_<hex>`, a name the slug `spare-<hex>` maps to: signing up
`spare-0` and waiting for the next sign-up handed the attacker's schema (and admin) to the victim.
Now (1) spares are named `_spare_<hex>`: slugs start with a letter, so no organisation's schema can
begin with an underscore; (2) `spare-` slugs are reserved (tenants/slugs.py); (3) every query here
also excludes any schema an organisation row names, whatever its name. Spares of the old naming are
dropped by `migrate_schemas` (`spare_schemas_drop(legacy_only=True)`) unless an organisation owns
them; they are never taken.

Each database server (tenants/placement.py) has its own template and its own pool: the beat task
fills them all (`spare_pools_fill`), and a dedicated organisation takes a spare of its own server.

Refills are bounded: at most TENANT_SPARE_SCHEMAS_PER_FILL clones per run and
TENANT_SPARE_SCHEMAS_PER_HOUR over any hour (counted with django-ratelimit in the shared cache), and
one fill at a time (a PostgreSQL advisory lock), so a flood of sign-ups cannot keep workers and the
database busy cloning.
"""

import logging
import uuid

from django.conf import settings
from django.db import connection, transaction
from django_ratelimit.core import get_usage
from django_tenants.clone import CloneSchema
from django_tenants.utils import get_public_schema_name, get_tenant_base_schema, get_tenant_model, schema_exists

from tenants import placement
from tenants.ddl import statement_timeout_lifted

logger = logging.getLogger(__name__)

PREFIX = "_spare_"
# The naming before the fix above: `spare_` and 12 hex digits (uuid4().hex[:12]).
LEGACY_PATTERN = "^spare_[0-9a-f]{12}$"
_FILL_LOCK = "tenants.spares_fill"


def _unowned_schemas(condition: str, params: list) -> list[str]:
    """Schemas matching `condition` (SQL over pg_namespace's nspname) that no organisation row names,
    on the server this thread is on (each database server has its own pool: tenants/placement.py).

    The organisation model takes its schema from this pool (Tenant.create_schema), so the pool names
    it through django-tenants' TENANT_MODEL setting rather than importing it."""
    table = f'"{get_public_schema_name()}"."{get_tenant_model()._meta.db_table}"'
    if placement.current_server() != placement.PLATFORM:
        # The organisation rows are on the platform's server: any schema one of them names, on any
        # server, is never a spare here either.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT nspname FROM pg_namespace WHERE {condition} ORDER BY nspname", params)
            names = [row[0] for row in cursor.fetchall()]
        owned = set(get_tenant_model().objects.filter(schema_name__in=names).values_list("schema_name", flat=True))
        return [name for name in names if name not in owned]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nspname FROM pg_namespace WHERE {condition} "
            f"AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.schema_name = nspname) ORDER BY nspname",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def spare_schema_names() -> list[str]:
    return _unowned_schemas("starts_with(nspname, %s)", [PREFIX])


def legacy_spare_schema_names() -> list[str]:
    return _unowned_schemas("nspname ~ %s", [LEGACY_PATTERN])


def _try_lock(schema_name: str) -> bool:
    """Transaction-level advisory lock on one spare: whoever holds it may rename or drop it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [schema_name])
        return cursor.fetchone()[0]


def spare_schema_take(schema_name: str) -> bool:
    """Rename one spare to `schema_name` inside the caller's transaction; False when none is free.
    A spare being taken or dropped by another transaction is skipped."""
    for spare in spare_schema_names():
        if not _try_lock(spare) or not schema_exists(spare):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER SCHEMA "{spare}" RENAME TO "{schema_name}"')
        return True
    return False


def _clone_allowed() -> bool:
    """Count one clone against TENANT_SPARE_SCHEMAS_PER_HOUR; False once the hour's budget is spent."""
    usage = get_usage(
        None,
        group="tenants.spare_clones",
        key=lambda group, request: placement.current_server(),  # each server's own budget
        rate=f"{settings.TENANT_SPARE_SCHEMAS_PER_HOUR}/h",
        increment=True,
    )
    return usage is None or not usage["should_limit"]


def spare_schemas_fill(count: int | None = None) -> int:
    """Clone spares from the template until `count` (TENANT_SPARE_SCHEMAS) exist, within the caps;
    returns how many were made. Each clone is its own transaction."""
    wanted = settings.TENANT_SPARE_SCHEMAS if count is None else count
    if settings.SINGLE_TENANT:  # a self-hosted broker never signs anyone up
        return 0
    template = get_tenant_base_schema()
    if not template or not schema_exists(template):
        return 0
    made = 0
    # One clone per transaction, each holding the fill lock (transaction-scoped, so nothing stays on
    # the connection: safe behind a transaction-pooling PgBouncer) and counting the pool again under it,
    # so two workers filling at once never make more than `wanted`.
    for _ in range(settings.TENANT_SPARE_SCHEMAS_PER_FILL):
        with transaction.atomic(), statement_timeout_lifted():
            if not _try_lock(_FILL_LOCK) or len(spare_schema_names()) >= wanted:
                break  # another worker is filling the pool, or it is full
            if not _clone_allowed():
                logger.warning(
                    "spare schema pool: hourly clone limit reached (TENANT_SPARE_SCHEMAS_PER_HOUR=%s)",
                    settings.TENANT_SPARE_SCHEMAS_PER_HOUR,
                )
                break
            CloneSchema().clone_schema(template, f"{PREFIX}{uuid.uuid4().hex[:12]}", "DATA")
        made += 1
    return made


def spare_schemas_drop(*, legacy_only: bool = False) -> int:
    """Drop spares no organisation owns: all of them after migrations (they are copies of the
    template as it was), or only those of the old naming (`legacy_only`). Returns how many."""
    names = legacy_spare_schema_names() + ([] if legacy_only else spare_schema_names())
    dropped = 0
    for name in names:
        with transaction.atomic(), statement_timeout_lifted():
            if not _try_lock(name):  # being taken right now
                continue
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
            dropped += 1
    return dropped


def spare_pools_fill() -> dict[str, int]:
    """Fill the pool of every database server (tenants/placement.py): a dedicated server's
    organisations are cloned from its own template and take its own spares. Returns how many each got."""
    made = {}
    for alias in placement.servers():
        with placement.unreachable_skipped(alias, "spare pool"), placement.organisation_server(alias):
            made[alias] = spare_schemas_fill()
    return made
