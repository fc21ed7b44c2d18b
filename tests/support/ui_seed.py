"""A small but complete world for the UI's pages: a web of integrations with every verification
status, branches and tags, environments with deployments and releases, a webhook with a delivery,
and a secret. Call it inside the tenant's schema."""
import json
from unittest import mock

from django.db import transaction
from django.test import override_settings

from apps.contracts.models import Pacticipant
from apps.contracts.services.pacticipants import label_add, pacticipant_update
from apps.core import outbound
from apps.webhooks import ssrf
from apps.webhooks.execution import triggered_webhook_execute
from apps.webhooks.services import webhooks_trigger
from tests.support.factories import deploy, environment_ensure, pact_publish, release, verification_publish
from tests.support.webhook_builders import webhook_create


def http_pact(consumer: str, provider: str, *, path: str = "/orders/1", status: int = 200) -> dict:
    return {
        "consumer": {"name": consumer}, "provider": {"name": provider},
        "interactions": [{
            "description": "a request for an order", "providerStates": [{"name": "order 1 exists",
                                                                          "params": {"id": 1}}],
            "request": {"method": "GET", "path": path, "query": {"expand": ["lines"]},
                        "headers": {"Accept": "application/json"}},
            "response": {"status": status, "headers": {"Content-Type": "application/json"},
                         "body": {"id": 1, "total": 42.5}},
        }],
        "messages": [{"description": "an order created event", "providerStates": [{"name": "a new order"}],
                      "contents": {"orderId": 1}, "metadata": {"contentType": "application/json",
                                                               "topic": "orders"}}],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def ui_world_seed() -> dict:
    """Web -> Orders (verified), Web -> Users (failed), Mobile -> Orders (changed since verified),
    Orders -> Payments (never verified); deployments to test and production; a mobile release."""
    environment_ensure("test")
    environment_ensure("production", production=True)
    pact_publish("Web", "1.0.0", "Orders", content=http_pact("Web", "Orders"), branch="main", tags=["prod"])
    verification_publish("Web", "1.0.0", "Orders", "2.0.0", branch="main")
    pact_publish("Web", "1.1.0", "Orders", content=http_pact("Web", "Orders", path="/orders/2"), branch="main")
    verification_publish("Web", "1.1.0", "Orders", "2.1.0", branch="main")
    pact_publish("Web", "1.1.0", "Users", branch="main")
    verification_publish("Web", "1.1.0", "Users", "7", success=False, branch="main")
    pact_publish("Mobile", "3.0", "Orders", content=http_pact("Mobile", "Orders"), branch="main")
    verification_publish("Mobile", "3.0", "Orders", "2.0.0")
    pact_publish("Mobile", "3.1", "Orders", content=http_pact("Mobile", "Orders", status=201), branch="feat/x")
    pact_publish("Orders", "2.1.0", "Payments")
    deploy("Web", "1.0.0", "production")
    deploy("Web", "1.1.0", "test")
    deploy("Orders", "2.0.0", "production")
    deploy("Orders", "2.1.0", "test")
    release("Mobile", "3.0", "production")
    orders = Pacticipant.objects.get(name="Orders")
    pacticipant_update(pacticipant=orders, replace=False, attributes={
        "mainBranch": "main", "repositoryUrl": "https://git.example.com/shop/orders", "repositoryName": "orders",
        "repositoryNamespace": "shop"})
    label_add(pacticipant_name="Orders", name="backend")
    webhook = webhook_create(
        description="Verify changed pacts", url="https://ci.example.com/hooks/verify",
        headers={"Authorization": "Bearer s3cr3t-token"}, events=["contract_requiring_verification_published"],
        provider="Orders",
    )
    publication = pact_publish("Web", "1.1.0", "Orders", content=http_pact("Web", "Orders", path="/orders/2"))
    _failed_delivery(webhook, publication)
    return {"webhook": webhook, "publication_content": json.dumps(http_pact("Web", "Orders"))}


def _ci_answers_500(method, url, *, checked, **kwargs) -> outbound.Response:
    return outbound.Response(status=500, reason="Internal Server Error", headers=[], body=b"", truncated=False,
                             destination=checked)


def _failed_delivery(webhook, publication) -> None:
    """Trigger the webhook for the publication and run its delivery through the execution service.
    The one thing faked is the network: ci.example.com (checked as a public address) answers 500.
    With no retries the first attempt is final, so the delivery is a failure; it is triggered and
    run in one transaction, so the task queued on commit finds nothing left to do."""
    ci = outbound.Destination(scheme="https", host="ci.example.com", port=443, address="203.0.113.10")
    with (transaction.atomic(), override_settings(WEBHOOK_RETRY_SCHEDULE=[]),
          mock.patch.object(ssrf, "destination_check", lambda url: ci),
          mock.patch.object(outbound, "request", _ci_answers_500)):
        [triggered] = webhooks_trigger(event_name="contract_requiring_verification_published",
                                       pact_publication=publication)
        assert triggered_webhook_execute(uuid=triggered.uuid) == "failure"


def network_seed(*, nodes: int = 100, integrations: int = 200) -> list[tuple[str, str]]:
    """A large web: `nodes` applications (App000...) and `integrations` pacts between them (each
    application consumes its next neighbour, then one 17 further on, ...), a quarter verified, a
    quarter failed, the rest not yet verified. Returns the (consumer, provider) pairs."""
    pairs = []
    for n in range(integrations):
        consumer = n % nodes
        provider = (consumer + 1 + (n // nodes) * 17) % nodes
        pairs.append((f"App{consumer:03d}", f"App{provider:03d}"))
    for n, (consumer, provider) in enumerate(pairs):
        pact_publish(consumer, "1.0.0", provider, branch="main")
        if n % 4 in (0, 1):
            verification_publish(consumer, "1.0.0", provider, "1.0.0", success=n % 4 == 0, branch="main")
    return pairs
