"""Resume a suspended organisation."""

from tenants.management.commands._operator import OperatorCommand
from tenants.operations import organisation_resume


class Command(OperatorCommand):
    help = "Resume a suspended organisation."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--slug", required=True)

    def operate(self, operator, **options):
        tenant = organisation_resume(slug=options["slug"], operator=operator)
        self.stdout.write(f"Resumed {tenant.slug}.")
