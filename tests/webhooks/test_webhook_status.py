"""GET /pacts/provider/{p}/consumer/{c}/webhooks/status (`pb:webhook-status`): the newest triggered webhook
of each webhook and event of an integration, with the broker's summary and links."""

import pytest
from django_tenants.utils import schema_context

from apps.webhooks.services.event_triggers import contract_published_webhooks_trigger
from tests.support.factories import pact_publish
from tests.support.webhook_builders import deliveries_execute, webhook_create

pytestmark = pytest.mark.django_db

STATUS = "/pacts/provider/Bar/consumer/Foo/webhooks/status"


def test_the_newest_run_of_each_webhook_is_summarised(acme):
    with schema_context(acme.schema):
        webhook_create(url="https://ci.example.org/build", events=["contract_published"], description="build")
        webhook_create(url="https://status.example.org/x", events=["contract_published"], description="status")
        first = contract_published_webhooks_trigger(pact_publication=pact_publish("Foo", "1", "Bar"), event_context={})
        deliveries_execute(first, answers=(500,))  # both failed
        second = contract_published_webhooks_trigger(
            pact_publication=pact_publish("Foo", "2", "Bar", content="v2"), event_context={}
        )
        build = next(t for t in second if t.webhook.description == "build")
        deliveries_execute([build], answers=(200,))
        status = next(t for t in second if t.webhook.description == "status")
        deliveries_execute([status], answers=(500,), retries=1, until_final=False)  # failed once, will retry

    body = acme.client().get(STATUS, HTTP_ACCEPT="application/hal+json").json()

    assert body["summary"] == {"successful": 1, "failed": 0, "retrying": 1}
    assert [t["status"] for t in body["_embedded"]["triggeredWebhooks"]] == ["success", "retrying"]
    links = body["_links"]
    assert links["self"]["title"] == "Webhooks status"
    assert [link["name"] for link in links["pb:error-logs"]] == ["POST status.example.org"]
    assert links["pb:error-logs"][0]["href"].endswith(f"/triggered-webhooks/{status.uuid}/logs")
    assert links["pb:pact-version"]["name"] == "Pact between Foo (2) and Bar"
    assert links["pb:pact-webhooks"]["href"].endswith("/pacts/provider/Bar/consumer/Foo/webhooks")
    assert (links["pb:consumer"]["name"], links["pb:provider"]["name"]) == ("Foo", "Bar")


def test_an_integration_without_triggered_webhooks_has_an_empty_status(acme):
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar")

    body = acme.client().get(STATUS, HTTP_ACCEPT="application/hal+json").json()

    assert body["summary"] == {"successful": 0, "failed": 0}
    assert body["_embedded"]["triggeredWebhooks"] == []
    assert "pb:pact-version" not in body["_links"] and body["_links"]["pb:error-logs"] == []


def test_unknown_pacticipants_are_404_and_another_organisation_sees_nothing(acme, outsider):
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar")

    assert acme.client().get("/pacts/provider/Nope/consumer/Foo/webhooks/status").status_code == 404
    assert outsider.client().get(STATUS).status_code == 404
