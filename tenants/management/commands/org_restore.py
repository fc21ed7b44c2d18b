"""Restore one organisation from an org_backup file into this database."""

from django.core.management import BaseCommand, CommandError

from tenants.backup import BackupError, organisation_restore


class Command(BaseCommand):
    help = "Restore an organisation from a backup made by org_backup (refused if it exists here)."

    def add_arguments(self, parser):
        parser.add_argument("--file", required=True)

    def handle(self, *args, **options):
        try:
            manifest = organisation_restore(path=options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {manifest['organisation']} (schema {manifest['schema']}, backed up {manifest['created_at']})."
        )
