"""Master-key rotation: re-wrap every tenant's data key under the first key of SECRETS_MASTER_KEYS.

Procedure: put the new key first in SECRETS_MASTER_KEYS (keep the old one after it), deploy, run
this command, then remove the old key. Each tenant is one transaction; the command can be re-run
safely (keys already under the primary master key are skipped).
"""

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from apps.secrets import services
from apps.secrets.management.commands._tenants import schemas_selected


class Command(BaseCommand):
    help = "Re-wrap every organisation's data keys under the primary master key (master-key rotation)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="only this organisation's schema")
        parser.add_argument("--all", action="store_true", help="every organisation (the default)")

    def handle(self, *args, schema=None, all=False, **options):
        total = 0
        for name in schemas_selected(schema, all or not schema):
            with schema_context(name):
                count = services.data_key_rewrap()
            total += count
            if count:
                self.stdout.write(f"{name}: re-wrapped {count} data key(s)")
        self.stdout.write(f"Done: {total} data key(s) re-wrapped.")
