"""Create (once) the demo organisation with an admin and a fresh API token; print how to use them.

Writes var/demo.env with PACT_BROKER_BASE_URL and PACT_BROKER_TOKEN for the official Pact CLI.
The token is replaced on every run: only its hash is stored, so an old one cannot be shown again.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts import services as account_services
from apps.accounts.models import ApiToken, User
from tenants.models import Tenant
from tenants.services import tenant_provision

DEMO_EMAIL = "admin@example.com"
DEMO_PASSWORD = "demo-password-123"
TOKEN_NAME = "demo CLI token"


class Command(BaseCommand):
    help = "Set up the demo organisation and print its URLs, login and an API token."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
        parser.add_argument("--env-file", default=str(Path(settings.BASE_DIR) / "var" / "demo.env"))

    def handle(self, *args, port, env_file, **options):
        connection.set_schema_to_public()
        if settings.SINGLE_TENANT:
            tenant = Tenant.objects.get(schema_name=settings.SINGLE_TENANT_SCHEMA)
            host = "localhost"
        else:
            tenant = Tenant.objects.filter(slug="demo").first() or tenant_provision(
                name="Demo Organisation", slug="demo"
            )
            host = f"demo.{settings.BASE_DOMAIN}"
        base_url = f"http://{host}:{port}"
        with schema_context(tenant.schema_name):
            admin = User.objects.filter(email=DEMO_EMAIL).first() or account_services.user_create(
                email=DEMO_EMAIL,
                name="Demo Admin",
                password=DEMO_PASSWORD,
                is_admin=True,
                email_confirmed=True,
            )
            ApiToken.objects.filter(user=admin, name=TOKEN_NAME).delete()
            _, secret = account_services.token_create(user=admin, name=TOKEN_NAME, read_only=False)
        path = Path(env_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"PACT_BROKER_BASE_URL={base_url}\nPACT_BROKER_TOKEN={secret}\n")
        path.chmod(0o600)
        public = "" if settings.SINGLE_TENANT else f"  Public site (sign-up):  http://{settings.BASE_DOMAIN}:{port}\n"
        self.stdout.write(
            "\nThe contract broker is starting.\n"
            f"{public}"
            f"  Demo organisation:      {base_url}\n"
            f"  Sign in as:             {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
            f"  API token (read-write): {secret}\n"
            f"  For the Pact CLI:       set -a; . {path}; set +a\n"
        )
