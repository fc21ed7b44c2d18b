"""The webhook API answers like the broker's: create, upsert, read, list, delete, validation."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.webhooks.models import TriggeredWebhook, Webhook
from apps.webhooks.services import webhooks_trigger
from tests.support.factories import pact_publish
from tests.support.webhook_builders import webhook_create

pytestmark = pytest.mark.django_db

HOOK = {
    "description": "trigger build",
    "enabled": False,
    "events": [{"name": "contract_content_changed"}],
    "request": {
        "method": "POST",
        "url": "https://ci.example.org/build?p=${pactbroker.providerName}",
        "headers": {"Content-Type": "application/json", "Authorization": "Bearer s3cret"},
        "body": {"a": "body"},
        "username": "ci",
        "password": "hunter2",
    },
}


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def put(client, path, body):
    return client.put(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def pacts(acme):
    with schema_context(acme.schema):
        pact_publish("Some Consumer", "1", "Some Provider")
    return acme


def test_create_webhook_for_consumer_and_provider_returns_201_with_location_and_masked_credentials(pacts):
    response = post(pacts.client(), "/webhooks/provider/Some%20Provider/consumer/Some%20Consumer", HOOK)

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"http://{pacts.host}/webhooks/{body['uuid']}"
    assert response["Content-Type"].startswith("application/hal+json")
    assert body["consumer"] == {"name": "Some Consumer"} and body["provider"] == {"name": "Some Provider"}
    assert body["enabled"] is False
    assert body["request"]["body"] == {"a": "body"}
    assert body["request"]["password"] == "**********"
    assert body["request"]["headers"] == {"content-type": "application/json", "authorization": "**********"}
    assert body["events"] == [{"name": "contract_content_changed"}]
    assert "pb:execute" in body["_links"] and "pb:pact-webhooks" in body["_links"]


def test_create_webhook_with_empty_body_is_refused_with_the_errors(pacts):
    response = post(pacts.client(), "/webhooks", {})

    assert response.status_code == 400
    assert response.json() == {"errors": {"request": ["is missing"]}}


@pytest.mark.parametrize(
    "request_part, key, message",
    [
        ({"method": "POST", "url": "ftp://example.org"}, "request.url", "scheme must be https."),
        ({"method": "POST", "url": "example.org"}, "request.url", "is not a valid URL eg. http://example.org"),
        (
            {"method": "POST", "url": "https://${pactbroker.consumerName}.example.org"},
            "request.url",
            "cannot have a template parameter in the host",
        ),
        ({"method": "GET", "url": "https://example.org"}, "request.method", "must be POST."),
        ({"method": "FETCH", "url": "https://example.org"}, "request.method", "is not a recognised HTTP method"),
    ],
)
def test_create_webhook_with_a_bad_request_says_what_is_wrong(pacts, request_part, key, message):
    response = post(pacts.client(), "/webhooks", {"request": request_part})

    assert response.status_code == 400
    assert message in response.json()["errors"][key][0]


def test_create_webhook_with_unknown_event_or_pacticipant_or_both_name_and_label_is_refused(pacts):
    body = {
        **HOOK,
        "events": [{"name": "nope"}],
        "consumer": {"name": "Nobody"},
        "provider": {"name": "Some Provider", "label": "x"},
    }

    response = post(pacts.client(), "/webhooks", body)

    errors = response.json()["errors"]
    assert response.status_code == 400
    assert "(at index 0)" in errors["events"][0]
    assert errors["consumer.name"] == ["does not match an existing pacticipant"]
    assert "cannot be provided at the same time" in errors["provider.label"][0]
    with schema_context(pacts.schema):
        assert not Webhook.objects.exists()


def test_scoped_create_for_unknown_pacticipant_is_404(pacts):
    response = post(pacts.client(), "/webhooks/provider/Nobody", HOOK)

    assert response.status_code == 404


def test_create_with_no_events_defaults_to_contract_content_changed_and_description_to_method_and_host(pacts):
    response = post(pacts.client(), "/webhooks", {"request": {"method": "POST", "url": "https://ci.example.org/x"}})

    body = response.json()
    assert body["events"] == [{"name": "contract_content_changed"}]
    assert body["description"] == "POST ci.example.org"
    assert "consumer" not in body and "provider" not in body


def test_put_with_new_uuid_creates_and_put_again_updates_keeping_masked_password_and_headers(pacts):
    client = pacts.client()
    created = put(client, "/webhooks/1234123412341234", {**HOOK, "provider": {"label": "team-a"}})
    masked = json.loads(json.dumps(created.json()))
    masked["description"] = "renamed"
    masked["enabled"] = True

    updated = put(client, "/webhooks/1234123412341234", masked)

    assert created.status_code == 201 and updated.status_code == 200
    assert updated.json()["description"] == "renamed" and updated.json()["provider"] == {"label": "team-a"}
    with schema_context(pacts.schema):
        webhook = Webhook.objects.get(uuid="1234123412341234")
        assert webhook.password == "hunter2"
        assert webhook.headers["authorization"] == "Bearer s3cret"  # sent back in lower case, as shown
        assert webhook.enabled is True and webhook.consumer is None


def test_put_with_a_short_uuid_is_refused(pacts):
    response = put(pacts.client(), "/webhooks/short", HOOK)

    assert response.status_code == 400
    assert "uuid" in response.json()["errors"]


def test_list_get_and_delete_keep_triggered_webhooks(pacts):
    client = pacts.client()
    uuid = post(client, "/webhooks", dict(HOOK, enabled=True)).json()["uuid"]
    with schema_context(pacts.schema):
        from apps.contracts.models import PactPublication

        [delivery] = webhooks_trigger(
            event_name="contract_content_changed", pact_publication=PactPublication.objects.get()
        )

    listed = client.get("/webhooks").json()
    fetched = client.get(f"/webhooks/{uuid}")
    deleted = client.delete(f"/webhooks/{uuid}")

    assert [link["href"] for link in listed["_links"]["pb:webhooks"]] == [f"http://{pacts.host}/webhooks/{uuid}"]
    assert fetched.status_code == 200
    assert deleted.status_code == 204
    assert client.get(f"/webhooks/{uuid}").status_code == 404
    with schema_context(pacts.schema):
        triggered = TriggeredWebhook.objects.get(uuid=delivery.uuid)
        assert triggered.webhook is None and triggered.webhook_uuid == uuid


def test_scoped_list_shows_only_webhooks_with_exactly_that_scope(pacts):
    with schema_context(pacts.schema):
        scoped = webhook_create(url="https://a.example.org", consumer="Some Consumer", provider="Some Provider")
        webhook_create(url="https://b.example.org")

    listed = pacts.client().get("/pacts/provider/Some%20Provider/consumer/Some%20Consumer/webhooks").json()

    assert [link["href"].rsplit("/", 1)[1] for link in listed["_links"]["pb:webhooks"]] == [scoped.uuid]


def test_read_only_token_cannot_create_webhooks(pacts):
    response = post(pacts.client(token=pacts.read_token), "/webhooks", HOOK)

    assert response.status_code == 403


def test_outsider_never_sees_acmes_webhooks(pacts, outsider):
    uuid = post(pacts.client(), "/webhooks", HOOK).json()["uuid"]

    assert outsider.client().get(f"/webhooks/{uuid}").status_code == 404
    assert outsider.client().get("/webhooks").json()["_links"]["pb:webhooks"] == []
    assert pacts.client(token=outsider.token).get("/webhooks").status_code == 401


def test_execute_saved_webhook_sends_it_now_with_secrets_and_persists_nothing(pacts, local_webhooks, receiver):
    with schema_context(pacts.schema):
        from apps.secrets.services import secret_create

        secret_create(name="TOKEN", value="tok-value")
        webhook = webhook_create(
            url=receiver.url("/x?c=${pactbroker.consumerName}"),
            consumer="Some Consumer",
            headers={"Authorization": "Bearer ${user.TOKEN}"},
            body={"event": "${pactbroker.eventName}"},
        )

    response = pacts.client().post(f"/webhooks/{webhook.uuid}/execute")

    body = response.json()
    assert response.status_code == 200 and body["success"] is True
    assert receiver.requests[0].path == "/x?c=Some+Consumer"
    assert receiver.requests[0].headers["Authorization"] == "Bearer tok-value"
    assert json.loads(receiver.requests[0].body) == {"event": "test"}
    assert body["response"]["status"] == 200
    assert "tok-value" not in response.content.decode()
    with schema_context(pacts.schema):
        assert not TriggeredWebhook.objects.exists()


def test_execute_unsaved_webhook_validates_then_sends(pacts, local_webhooks, receiver):
    invalid = post(pacts.client(), "/webhooks/execute", {"request": {"method": "POST"}})
    valid = post(pacts.client(), "/webhooks/execute", {"request": {"method": "POST", "url": receiver.url()}})

    assert invalid.status_code == 400 and "request.url" in invalid.json()["errors"]
    assert valid.status_code == 200 and valid.json()["success"] is True and len(receiver.requests) == 1
