"""`migrate_schemas`, skipping tenant schemas that are already up to date.

Also keeps the template schema (TENANT_BASE_SCHEMA) migrated: new organisations are cloned from it.
Any targeted use (`--schema`, an app label, `--fake`, `--plan`, ...) falls through to django-tenants
(with `--schema`, on the server that organisation is placed on).

Organisations on dedicated database servers (tenants/placement.py) are migrated on their servers:
each server's public schema (the shared apps' tables django-tenants expects beside every
organisation), its template, its organisations, and its spares dropped after the template changed.
A server newly added to ORGANISATION_DATABASES is set up by the first run (an empty database).

An organisation whose schema is missing (dropped by hand, lost in a restore, or taken by the old
spare-pool bug: tenants/spares.py) is reported on stderr and in the log and skipped: one broken
organisation must not stop every deploy's migration job, nor the migration of all the others.
"""

import logging
import time

from django.conf import settings
from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name, get_tenant_model

from tenants import placement
from tenants.migration_state import missing_schemas, schemas_behind
from tenants.spares import spare_schemas_drop

logger = logging.getLogger(__name__)

_TARGETED = ("app_label", "migration_name", "fake", "fake_initial", "plan", "prune", "check_unapplied")


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        if options.get("schema_name") or any(options.get(name) for name in _TARGETED):
            with placement.organisation_server(_server_of(options.get("schema_name"))):
                _statement_timeout_lift()
                return super().handle(*args, **options)
        # Parse the common options (sync_public / sync_tenant / executor) as django-tenants does.
        super(MigrateSchemasCommand, self).handle(*args, **options)
        # Every database server organisations live on (tenants/placement.py), the platform's first:
        # each has its public schema, its template, its organisations and its spares. The platform's
        # public schema holds the organisation rows, so it is migrated before anything else.
        for alias in placement.servers():
            with placement.organisation_server(alias):
                _statement_timeout_lift()
                self._migrate_server(alias, **options)

    def _migrate_server(self, alias: str, **options):
        # Other processes than this one connect to the platform's server: elsewhere, one at a time.
        codename = self.executor if alias == placement.PLATFORM else "standard"
        executor = get_executor(codename=codename)(self.args, self.options)
        public = get_public_schema_name()
        if self.sync_public:
            executor.run_migrations(tenants=[public])
        if not self.sync_tenant:
            return
        started = time.monotonic()
        template = settings.TENANT_BASE_SCHEMA
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA IF NOT EXISTS "{template}"')
        organisations = list(
            get_tenant_model()
            .objects.exclude(schema_name=public)
            .filter(database=alias)
            .order_by("pk")
            .values_list("schema_name", "slug")
        )
        missing = missing_schemas([schema for schema, _ in organisations])
        where = "" if alias == placement.PLATFORM else f" on database server {alias}"
        for schema, slug in organisations:
            if schema in missing:
                logger.error(
                    "organisation schema missing; not migrated",
                    extra={"organisation": slug, "schema": schema, "database": alias},
                )
                self.stderr.write(
                    f"Organisation {slug}: its schema {schema} does not exist{where}; not migrated. "
                    "Restore the schema or remove the organisation."
                )
        tenants = [schema for schema, _ in organisations if schema not in missing]
        behind = schemas_behind([template, *tenants])
        if behind:
            executor.run_migrations(tenants=behind)
        # Spares are copies of the template: after migrating it, drop them all (the next fill clones
        # new ones); otherwise only left-overs of the old, unsafe naming (tenants/spares.py).
        connection.set_schema_to_public()
        spare_schemas_drop(legacy_only=template not in behind)
        if int(options.get("verbosity", 1)) >= 1:
            self.stdout.write(
                f"Tenant schemas{where}: {len(tenants)} organisations + template checked, "
                f"{len(missing)} missing, "
                f"{len(behind)} migrated, in {time.monotonic() - started:.1f}s"
            )


def _statement_timeout_lift() -> None:
    with connection.cursor() as cursor:  # building an index on a big table takes longer than a request may
        cursor.execute("SET statement_timeout = 0")


def _server_of(schema_name: str | None) -> str:
    """`--schema`: the server of that organisation; other targeted runs are the platform's."""
    return placement.server_of_schema(schema_name) if schema_name else placement.PLATFORM
