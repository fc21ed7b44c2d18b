"""Back up one organisation: its schema (pg_dump) and its platform rows, in one file."""

from django.core.management import BaseCommand, CommandError

from tenants.backup import BackupError, organisation_backup


class Command(BaseCommand):
    help = "Write a backup of one organisation (schema + platform rows) to --out (never overwritten)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--out", required=True, help="the backup file to create (tar.gz, mode 0600)")

    def handle(self, *args, **options):
        try:
            manifest = organisation_backup(slug=options["slug"], out=options["out"])
        except FileExistsError as exc:
            raise CommandError(f"{options['out']} exists; choose a new file.") from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {manifest['organisation']} (schema {manifest['schema']}, "
            f"{manifest['schema_sql_bytes']} bytes of SQL) to {options['out']}."
        )
