"""Prepare a database: migrate everything, and in self-hosted mode create the one organisation."""

from django.conf import settings
from django.core.management import BaseCommand, call_command

from tenants.models import Tenant
from tenants.services import tenant_provision


class Command(BaseCommand):
    help = "Migrate the public and tenant schemas; in self-hosted mode ensure the organisation exists."

    def handle(self, *args, **options):
        call_command("migrate_schemas", interactive=False, verbosity=options["verbosity"])
        if settings.SINGLE_TENANT and not Tenant.objects.filter(schema_name=settings.SINGLE_TENANT_SCHEMA).exists():
            tenant_provision(
                name=settings.SINGLE_TENANT_NAME,
                slug=settings.SINGLE_TENANT_SCHEMA.replace("_", "-"),
                schema_name=settings.SINGLE_TENANT_SCHEMA,
                domain=f"{settings.SINGLE_TENANT_SCHEMA}.self-hosted.invalid",
            )
            self.stdout.write(f"Created the self-hosted organisation ({settings.SINGLE_TENANT_SCHEMA}).")
