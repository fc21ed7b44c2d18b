"""Set an organisation's plan (and seats) by hand, as the platform admin page does."""

from tenants.management.commands._operator import OperatorCommand
from tenants.operations import organisation_plan_set


class Command(OperatorCommand):
    help = "Set an organisation's plan and seats; Stripe events leave it alone unless --follow-stripe."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--plan", required=True)
        parser.add_argument("--seats", type=int, help="default: the current seats, at least the plan's default")
        parser.add_argument(
            "--follow-stripe", action="store_true", help="let the Stripe subscription's next event take over again"
        )

    def operate(self, operator, **options):
        tenant = organisation_plan_set(
            slug=options["slug"],
            plan=options["plan"],
            seats=options["seats"],
            follow_stripe=options["follow_stripe"],
            operator=operator,
        )
        self.stdout.write(f"{tenant.slug} is now on {tenant.plan} with {tenant.seats} seats.")
