"""Create an organisation without the sign-up page (an invoiced customer, a test environment)."""

import os

from tenants.management.commands._operator import OperatorCommand
from tenants.operations import organisation_create


class Command(OperatorCommand):
    help = (
        "Create an organisation on a plan and invite its administrator by email; with --token-file, "
        "also write a read-write API token of the administrator to that file (mode 0600)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--slug", required=True, help="the subdomain, e.g. acme")
        parser.add_argument("--name", required=True)
        parser.add_argument("--plan", required=True, help="developer, team, business or enterprise")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--seats", type=int, help="default: the plan's")
        parser.add_argument("--token-file", help="where to write the administrator's API token (never printed)")
        parser.add_argument(
            "--database",
            default="default",
            help="the database server to place it on: an alias of ORGANISATION_DATABASES (default: the platform's)",
        )

    def operate(self, operator, **options):
        token_file = options["token_file"]
        if token_file and os.path.exists(token_file):
            from tenants.operations import OperationError

            raise OperationError(f"{token_file} exists; choose a new file for the token.")
        created = organisation_create(
            slug=options["slug"],
            name=options["name"],
            plan=options["plan"],
            admin_email=options["admin_email"],
            operator=operator,
            with_token=bool(token_file),
            seats=options["seats"],
            database=options["database"],
        )
        if token_file:
            descriptor = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(created.token + "\n")
        tenant = created.tenant
        where = "" if tenant.database == "default" else f", on database server {tenant.database}"
        self.stdout.write(f"Created {tenant.slug} ({tenant.name}) on {tenant.plan} with {tenant.seats} seats{where}.")
        self.stdout.write(f"Invited {options['admin_email'].strip().lower()}: {created.invitation_url}")
        if token_file:
            self.stdout.write(f"Wrote the administrator's API token to {token_file}.")
