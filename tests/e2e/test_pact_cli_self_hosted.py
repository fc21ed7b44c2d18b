"""Self-hosted mode: the CLI publishes to the single organisation on any host name."""

import pytest
import requests
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.contracts.models import LatestPactPublication
from tenants.models import Tenant
from tests.support.live import PactCli
from tests.support.pacts import FIXTURES

pytestmark = pytest.mark.e2e


@pytest.fixture
def self_hosted_broker(transactional_db, live_server, settings):
    settings.SINGLE_TENANT = True
    settings.ALLOWED_HOSTS = ["*"]
    call_command("broker_setup", verbosity=0)
    tenant = Tenant.objects.get(schema_name=settings.SINGLE_TENANT_SCHEMA)
    from apps.accounts import services as account_services

    with schema_context(tenant.schema_name):
        admin = account_services.user_create(
            email="admin@broker.example",
            name="admin",
            password="correct-horse-battery",
            is_admin=True,
            email_confirmed=True,
        )
        _, token = account_services.token_create(user=admin, name="ci", read_only=False)
    yield tenant, live_server.url.replace("localhost", "127.0.0.1"), token
    connection.set_schema_to_public()
    tenant.delete(force_drop=True)


def test_cli_publishes_to_a_self_hosted_broker(self_hosted_broker):
    tenant, base_url, token = self_hosted_broker
    cli = PactCli(base_url=base_url, token=token)

    cli.broker(
        "publish", str(FIXTURES / "foo-bar.json"), "--consumer-app-version", "1.0.0", "--branch", "main", check=True
    )

    with schema_context(tenant.schema_name):
        assert LatestPactPublication.objects.filter(consumer__name="Foo", provider__name="Bar").count() == 1
    pact = requests.get(
        f"{base_url}/pacts/provider/Bar/consumer/Foo/latest", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert pact.status_code == 200
    assert pact.json()["_links"]["self"]["href"].startswith(base_url)
