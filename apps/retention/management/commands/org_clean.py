"""`manage.py org_clean --org SLUG [--dry-run] [--keep JSON]`: one retention clean-up, now (docs/organisation-data.md)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from apps.retention.selectors import SelectorError, selectors_validate
from apps.retention.services import organisation_clean, retention_policy_get
from billing.plans import limits_for
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Delete the organisation's history its keep-selectors and plan do not keep (or, with --dry-run, report it)."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--dry-run", action="store_true", help="report what would be deleted; delete nothing")
        parser.add_argument(
            "--keep",
            help='keep-selectors as JSON, e.g. [{"branch": true, "latest": true}, {"max_age": 30}] '
            "(default: the organisation's policy)",
        )
        parser.add_argument("--batch", type=int, default=200, help="versions per transaction (default 200)")

    def handle(self, *args, org, dry_run=False, keep=None, batch=200, **options):
        with schema_context(get_public_schema_name()):
            tenant = Tenant.objects.filter(slug=org).first()
        if tenant is None:
            raise CommandError(f"There is no organisation {org!r}.")
        if not 1 <= batch <= 10000:
            raise CommandError("--batch is between 1 and 10000.")
        with schema_context(tenant.schema_name):
            policy = retention_policy_get()
            selectors = policy.keep_selectors
            if keep is not None:
                try:
                    selectors = selectors_validate(json.loads(keep))
                except (ValueError, SelectorError) as exc:
                    raise CommandError(f"--keep: {exc}") from exc
            report = organisation_clean(
                keep_selectors=selectors,
                plan_days=limits_for(tenant).plan.retention_days,
                dry_run=dry_run or policy.dry_run,
                batch=batch,
            )
        self.stdout.write(json.dumps(report, indent=2, default=str))
