"""Suspend an organisation: every request is answered 423 until org_resume; nothing is deleted."""

from tenants.management.commands._operator import OperatorCommand
from tenants.operations import organisation_suspend


class Command(OperatorCommand):
    help = "Suspend an organisation (requests get 423 Locked); its data is kept."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--reason", required=True, help="for the audit log; never shown to the organisation")

    def operate(self, operator, **options):
        tenant = organisation_suspend(slug=options["slug"], reason=options["reason"], operator=operator)
        self.stdout.write(f"Suspended {tenant.slug}.")
