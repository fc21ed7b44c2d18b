"""`manage.py org_import --archive FILE --org NEWSLUG`: an `org_export` archive into a new organisation.

The organisation is provisioned as an operator's `org_create` would be, and the archive is written
into its schema in the same transaction: a refused or failed import leaves no organisation behind.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django_tenants.utils import schema_exists, tenant_context

from apps.portability.services import ArchiveError, organisation_import
from tenants import placement, queries
from tenants.operations import Operator, platform_audit
from tenants.services import dedicated_schema_guard, tenant_provision
from tenants.slugs import schema_name_for_slug, slug_problem


class Command(BaseCommand):
    help = "Import an organisation archive (from org_export) into a new organisation NEWSLUG."

    def add_arguments(self, parser):
        parser.add_argument("--archive", required=True, help="the .tar.gz written by org_export")
        parser.add_argument("--org", required=True, help="the new organisation's slug")
        parser.add_argument("--name", help="the new organisation's name (default: the exported one's)")
        parser.add_argument("--operator", help="who runs this, for the platform audit log")
        parser.add_argument(
            "--database",
            default="default",
            help="the database server to place it on: an alias of ORGANISATION_DATABASES (default: the platform's)",
        )

    def handle(self, *args, archive, org, name=None, operator=None, database="default", **options):
        slug = org.strip().lower()
        problem = slug_problem(slug)
        if problem:
            raise CommandError(problem)
        try:
            database = placement.server_check(database)
        except placement.PlacementError as exc:
            raise CommandError(str(exc)) from exc
        if queries.slug_is_taken(slug) or schema_exists(schema_name_for_slug(slug)):
            raise CommandError(f"The slug {slug!r} is already taken: import into a new organisation.")
        try:
            schema_name = schema_name_for_slug(slug)
            with dedicated_schema_guard(database=database, schema_name=schema_name), transaction.atomic():
                tenant = tenant_provision(name=name or slug, slug=slug, database=database)
                # On a dedicated server the rows go there, in its own transaction (tenants/placement.py).
                with tenant_context(tenant), transaction.atomic():
                    report = organisation_import(path=archive, schema_name=tenant.schema_name)
                if not name and report.get("name"):
                    tenant.name = str(report["name"])[:100]
                    tenant.save(update_fields=["name"])
                platform_audit(
                    operator=Operator.current(operator),
                    action="organisation.imported",
                    tenant=tenant,
                    details={
                        "from": report.get("organisation"),
                        "rows": sum(report["rows"].values()),
                        "database": database,
                    },
                )
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(f"The archive could not be written: {exc}".strip()) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"No such archive: {archive}") from exc
        self.stdout.write(f"Imported into {tenant.slug}: {sum(report['rows'].values())} rows.")
        skipped = report["not_included"]
        for line in [
            f"Secrets to re-enter: {', '.join(skipped.get('secrets') or []) or 'none'}.",
            f"Webhooks imported disabled (their credentials were not exported): {', '.join(report['disabled_webhooks']) or 'none'}.",
            'People sign in with "forgot password" (or SSO, once set up again); API tokens must be made anew.',
        ]:
            self.stdout.write(line)
