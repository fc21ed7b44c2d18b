"""Move an organisation to another database server (tenants/servers.py)."""

from tenants.management.commands._operator import OperatorCommand
from tenants.placement import PlacementError
from tenants.servers import organisation_move


class Command(OperatorCommand):
    help = (
        "Move an organisation's schema to another database server (an alias of ORGANISATION_DATABASES, "
        "or default for the platform's): copied with pg_dump/psql while the organisation is suspended, "
        "then switched, then the old schema is dropped."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--to", required=True, help="the database server's alias")
        parser.add_argument("--keep-source", action="store_true", help="keep the old schema (drop it by hand later)")

    def operate(self, operator, **options):
        from tenants.operations import OperationError

        try:
            tenant = organisation_move(
                slug=options["slug"].strip().lower(),
                to=options["to"],
                operator=operator,
                keep_source=options["keep_source"],
            )
        except PlacementError as exc:
            raise OperationError(str(exc)) from exc
        self.stdout.write(f"Moved {tenant.slug} to database server {tenant.database}.")
