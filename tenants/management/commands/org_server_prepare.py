"""Set up a new dedicated database server (tenants/servers.py)."""

from django.core.management import BaseCommand, CommandError

from tenants.placement import PlacementError
from tenants.servers import ServerError, configured, server_prepare


class Command(BaseCommand):
    help = (
        "Give a database server named in ORGANISATION_DATABASES (an empty database) the platform's public "
        "schema and template, so organisations can be created on it or moved to it. Without a --database, "
        "list the configured servers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", help="the server's alias in ORGANISATION_DATABASES")

    def handle(self, *args, database=None, **options):
        if not database:
            for alias, where in configured().items():
                self.stdout.write(f"{alias:<16} {where}")
            return
        try:
            server_prepare(alias=database)
        except (ServerError, PlacementError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database server {database} is ready for organisations.")
