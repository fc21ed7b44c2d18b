"""`manage.py org_export --org SLUG --out FILE`: the organisation's data as one archive (docs/organisation-data.md)."""

import os

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from apps.portability.services import organisation_export
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Export an organisation's data (JSON lines per resource, the pact documents, a manifest) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--out", required=True, help="the archive to write (.tar.gz); never overwritten")

    def handle(self, *args, org, out, **options):
        with schema_context(get_public_schema_name()):
            tenant = Tenant.objects.filter(slug=org).first()
        if tenant is None:
            raise CommandError(f"There is no organisation {org!r}.")
        try:
            descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror}.") from exc
        try:
            # Inside the organisation: its schema may be on a dedicated database server (tenants/placement.py).
            with os.fdopen(descriptor, "wb") as handle, tenant_context(tenant):
                manifest = organisation_export(
                    schema_name=tenant.schema_name, slug=tenant.slug, name=tenant.name, out=handle
                )
        except BaseException:
            os.unlink(out)
            raise
        data = [entry for name, entry in manifest["files"].items() if name.startswith("data/")]
        self.stdout.write(
            f"Exported {tenant.slug} to {out}: {sum(entry['rows'] for entry in data)} rows in {len(data)} files, "
            f"{len(manifest['files']) - len(data)} pact documents."
        )
        skipped = manifest["not_included"]
        if skipped["secrets"] or skipped["webhook_passwords"] or skipped["webhook_headers"]:
            self.stdout.write(
                f"Not included (re-enter after an import): {len(skipped['secrets'])} secret(s), "
                f"{len(skipped['webhook_passwords'])} webhook password(s), "
                f"{len(skipped['webhook_headers'])} webhook(s) with credentials in a header."
            )
