"""Data-key rotation: give a tenant a new data key and re-encrypt its secrets with it.

One transaction per tenant, so webhook deliveries read either the old or the new state, never a
mixture; nothing is lost if the command is interrupted (the transaction rolls back).
"""

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from apps.secrets import services
from apps.secrets.management.commands._tenants import schemas_selected


class Command(BaseCommand):
    help = "Replace an organisation's data key and re-encrypt its secrets."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="the organisation's schema")
        parser.add_argument("--all", action="store_true", help="every organisation")

    def handle(self, *args, schema=None, all=False, **options):
        for name in schemas_selected(schema, all):
            with schema_context(name):
                count = services.data_key_rotate()
            self.stdout.write(f"{name}: new data key, {count} secret(s) re-encrypted")
