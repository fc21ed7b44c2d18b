"""A small but complete world for the UI's pages: a web of integrations with every verification
status, branches and tags, environments with deployments and releases, a labelled pacticipant, and
a webhook with a failed delivery. Call it inside the tenant's schema."""

import json

from apps.contracts.models import Pacticipant
from apps.contracts.services.pacticipants import label_add, pacticipant_update
from tests.support.factories import deploy, environment_ensure, pact_publish, release, verification_publish
from tests.support.webhook_builders import deliveries_run, webhook_create


def http_pact(consumer: str, provider: str, *, path: str = "/orders/1", status: int = 200) -> dict:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": "a request for an order",
                "providerStates": [{"name": "order 1 exists", "params": {"id": 1}}],
                "request": {
                    "method": "GET",
                    "path": path,
                    "query": {"expand": ["lines"]},
                    "headers": {"Accept": "application/json"},
                },
                "response": {
                    "status": status,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"id": 1, "total": 42.5},
                },
            }
        ],
        "messages": [
            {
                "description": "an order created event",
                "providerStates": [{"name": "a new order"}],
                "contents": {"orderId": 1},
                "metadata": {"contentType": "application/json", "topic": "orders"},
            }
        ],
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
    pacticipant_update(
        pacticipant=orders,
        replace=False,
        attributes={
            "main_branch": "main",
            "repository_url": "https://git.example.com/shop/orders",
            "repository_name": "orders",
            "repository_namespace": "shop",
        },
    )
    label_add(pacticipant_name="Orders", name="backend")
    webhook = webhook_create(
        description="Verify changed pacts",
        url="https://ci.example.com/hooks/verify",
        headers={"Authorization": "Bearer s3cr3t-token"},
        events=["contract_requiring_verification_published"],
        provider="Orders",
    )
    publication = pact_publish("Web", "1.1.0", "Orders", content=http_pact("Web", "Orders", path="/orders/2"))
    # Its delivery to CI failed: ci.example.com answered 500, with no retries configured.
    deliveries_run(event_name="contract_requiring_verification_published", pact_publication=publication, answers=(500,))
    return {"webhook": webhook, "publication_content": json.dumps(http_pact("Web", "Orders"))}


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
