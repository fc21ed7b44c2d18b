"""Operator writes on dedicated database servers (tenants/placement.py): preparing a new server and
moving an organisation from one server to another (`manage.py org_server_prepare`, `org_move`).

Preparing copies the platform's public schema (structure, and the record of its migrations) and
the template schema into the new server's empty database with pg_dump and psql: a second where
migrating an empty database takes a minute or more. `migrate_schemas` would get there too, and keeps
every server current from then on.

Moving copies the organisation's schema as it is (pg_dump of the one schema, restored with psql in
one transaction), so everything comes along: people and their passwords, API tokens, secrets, ids,
the audit log. (The organisation archive of `org_export`/`org_import` leaves tokens, secrets and
passwords out on purpose, for a customer taking their data away, so it cannot move an organisation
without breaking every CI pipeline's token.) The organisation is suspended during the move (requests
answered 423, tenants/middleware.py), then its row points at the new server, then its old schema is
dropped. A failure before the switch drops the copy and leaves the organisation where it was.
"""

import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, get_tenant_base_schema, schema_exists

from tenants import placement
from tenants.backup import BackupError, pg_run
from tenants.ddl import statement_timeout_lifted
from tenants.models import Tenant

logger = logging.getLogger(__name__)

_DUMP = ["pg_dump", "--no-owner", "--no-privileges", "--format=plain"]
_RESTORE = ["psql", "--quiet", "--no-psqlrc", "--single-transaction", "-v", "ON_ERROR_STOP=1"]


class ServerError(Exception):
    """An operator's request refused, with what to do instead."""


def _db(alias: str) -> dict:
    return placement.server_settings(alias)


def server_prepare(*, alias: str) -> None:
    """Give an empty dedicated server the platform's public schema and template."""
    alias = placement.server_check(alias)
    if alias == placement.PLATFORM:
        raise ServerError("The platform's own server is set up by migrate_schemas.")
    public, template = get_public_schema_name(), get_tenant_base_schema()
    with placement.organisation_server(alias), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f'"{public}".django_migrations'])
        if cursor.fetchone()[0]:
            raise ServerError(f"Database server {alias} is already set up; `migrate_schemas` keeps it current.")
    try:
        structure = pg_run([*_DUMP, "--schema-only", "--schema", public], db=_db(placement.PLATFORM))
        migrations = pg_run(
            [*_DUMP, "--data-only", "--table", f"{public}.django_migrations"], db=_db(placement.PLATFORM)
        )
        template_sql = pg_run([*_DUMP, "--schema", template], db=_db(placement.PLATFORM))
        # The public schema exists in every database: the dump's own CREATE would fail.
        structure = structure.replace(b"\nCREATE SCHEMA public;\n", b"\nCREATE SCHEMA IF NOT EXISTS public;\n")
        pg_run(_RESTORE, db=_db(alias), input=structure + migrations + template_sql)
    except BackupError as exc:
        raise ServerError(str(exc)) from exc
    logger.info("database server prepared", extra={"database": alias})


def organisation_move(*, slug: str, to: str, operator, keep_source: bool = False) -> Tenant:
    """Move an organisation's schema to the database server `to`; see the module's docstring."""
    from tenants.operations import OperationError, platform_audit

    target = placement.server_check(to)
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise OperationError(f"There is no organisation {slug!r}.")
    source, schema = tenant.database, tenant.schema_name
    if source == target:
        raise OperationError(f"{slug} is already on database server {target}.")
    with placement.organisation_server(target):
        if not schema_exists(get_tenant_base_schema()):
            raise OperationError(
                f"Database server {target} is not set up: run `org_server_prepare --database {target}`."
            )
        if schema_exists(schema):
            raise OperationError(
                f"A schema {schema} exists on database server {target} already (a move that failed?): drop it first."
            )
    was_suspended = tenant.suspended_at is not None
    if not was_suspended:  # read-only while copying: requests are answered 423 until the switch
        tenant.suspended_at, tenant.suspension_reason = timezone.now(), f"Moving to database server {target}"
        tenant.save(update_fields=["suspended_at", "suspension_reason"])
    try:
        try:
            dump = pg_run([*_DUMP, "--schema", schema], db=_db(source))
            pg_run(_RESTORE, db=_db(target), input=dump)
        except BackupError as exc:
            raise OperationError(f"Copying {schema} failed: {exc}") from exc
        with transaction.atomic():
            tenant.database = target
            tenant.save(update_fields=["database"])
            platform_audit(
                operator=operator,
                action="organisation.moved",
                tenant=tenant,
                details={"from": source, "to": target, "source_kept": keep_source},
            )
    except BaseException:
        tenant.database = source
        if Tenant.objects.filter(pk=tenant.pk, database=source).exists():
            with placement.organisation_server(target), connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        _resume(tenant, was_suspended)
        raise
    if not keep_source:
        with placement.organisation_server(source), statement_timeout_lifted(), connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    _resume(tenant, was_suspended)
    logger.info("organisation moved", extra={"organisation": slug, "from": source, "to": target})
    return tenant


def _resume(tenant: Tenant, was_suspended: bool) -> None:
    if not was_suspended:
        tenant.suspended_at, tenant.suspension_reason = None, ""
        tenant.save(update_fields=["suspended_at", "suspension_reason"])


def configured() -> dict[str, str]:
    """The servers as an operator sees them: alias -> host:port/database (no password)."""
    shown = {}
    for alias in placement.servers():
        db = placement.server_settings(alias) if alias != placement.PLATFORM else settings.DATABASES[alias]
        shown[alias] = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db.get('NAME')}"
    return shown
