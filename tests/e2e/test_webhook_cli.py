"""The official Pact CLI manages and tests webhooks against the live server."""

import pytest
from django_tenants.utils import schema_context

from apps.webhooks.models import Webhook
from tests.support.factories import pact_publish
from tests.support.receiver import Receiver
from tests.support.webhook_builders import webhook_create

pytestmark = pytest.mark.e2e

UUID = "cli-webhook-0000000000001"


@pytest.fixture
def local_webhooks(settings):
    settings.WEBHOOK_HOST_WHITELIST = ["127.0.0.1"]
    settings.WEBHOOK_SCHEME_WHITELIST = ["http", "https"]
    settings.WEBHOOK_TIMEOUT = 2.0


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def integration(live_acme):
    org, _ = live_acme
    with schema_context(org.schema):
        pact_publish("Foo", "1", "Bar")
    return org


def test_create_webhook_creates_a_scoped_webhook(pact_cli, integration, local_webhooks, receiver):
    result = pact_cli.broker(
        "create-webhook",
        receiver.url(),
        "--request",
        "POST",
        "--consumer",
        "Foo",
        "--provider",
        "Bar",
        "--contract-content-changed",
        "--description",
        "from the CLI",
        "--header",
        "Content-Type: application/json",
        "--data",
        '{"a": "${pactbroker.pactUrl}"}',
        "--user",
        "ci:secret",
        check=True,
    )

    assert "created" in (result.stdout + result.stderr).lower()
    with schema_context(integration.schema):
        webhook = Webhook.objects.get()
        assert (webhook.consumer.name, webhook.provider.name) == ("Foo", "Bar")
        assert webhook.events == ["contract_content_changed"] and webhook.password == "secret"


def test_create_or_update_webhook_creates_then_updates_by_uuid(pact_cli, integration, local_webhooks, receiver):
    args = (
        "create-or-update-webhook",
        receiver.url(),
        "--uuid",
        UUID,
        "--request",
        "POST",
        "--provider",
        "Bar",
        "--contract-published",
    )
    pact_cli.broker(*args, "--description", "first", check=True)
    pact_cli.broker(*args, "--description", "second", check=True)

    with schema_context(integration.schema):
        assert Webhook.objects.get(uuid=UUID).description == "second"


@pytest.fixture
def saved_webhook(integration, local_webhooks, receiver):
    with schema_context(integration.schema):
        return webhook_create(
            url=receiver.url("/tested?c=${pactbroker.consumerName}"), provider="Bar", events=["contract_published"]
        )


def test_test_webhook_executes_the_saved_webhook(pact_cli, saved_webhook, receiver):
    result = pact_cli.broker("test-webhook", f"--uuid={saved_webhook.uuid}", check=True)

    assert [r.path for r in receiver.requests] == ["/tested?c=Foo"], result.stdout + result.stderr


def test_delete_webhook_deletes_it(pact_cli, saved_webhook, integration):
    pact_cli.broker("delete-webhook", f"--uuid={saved_webhook.uuid}", check=True)

    with schema_context(integration.schema):
        assert not Webhook.objects.filter(uuid=saved_webhook.uuid).exists()
