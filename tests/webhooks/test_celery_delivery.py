"""End to end on a real Celery worker (real Redis) and a real HTTP receiver.

The worker is a separate process configured through `celery_worker_env` (tests/webhooks/conftest.py):
loopback allowed by the host whitelist, retries after 0.2 s, 1 s timeouts.
"""

import json
import time

import pytest
from django_tenants.utils import schema_context

from apps.secrets.services import secret_create
from tests.support.receiver import Receiver
from tests.support.webhook_builders import publish_and_trigger, webhook_create
from tests.support.webhook_builders import triggered_webhook_wait as wait_status


@pytest.fixture
def acme(committed_acme):
    """The worker must see the organisation, so it is committed (and dropped afterwards)."""
    return committed_acme


@pytest.fixture
def outsider(committed_outsider):
    return committed_outsider


def test_published_contract_is_delivered_once_with_rendered_template_and_tenant_secret(
    acme, outsider, celery_worker, local_webhooks, receiver
):
    for org, value in ((acme, "acme-token-value"), (outsider, "globex-token-value")):
        with schema_context(org.schema):
            secret_create(name="CI_TOKEN", value=value)

    _, triggered = publish_and_trigger(
        acme.schema,
        url=receiver.url("/build?consumer=${pactbroker.consumerName}"),
        events=["contract_published"],
        headers={"Content-Type": "application/json", "Authorization": "Bearer ${user.CI_TOKEN}"},
        body={
            "pact": "${pactbroker.pactUrl}",
            "version": "${pactbroker.consumerVersionNumber}",
            "tags": "${pactbroker.consumerVersionTags}",
            "event": "${pactbroker.eventName}",
        },
    )

    done = wait_status(acme.schema, triggered[0].uuid)
    time.sleep(0.5)  # any duplicate delivery would have arrived by now
    assert done.status == "success" and done.attempts_made == 1
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request.path == "/build?consumer=Foo"
    assert request.headers["Authorization"] == "Bearer acme-token-value"  # never globex's
    assert request.headers["X-Pact-Broker-Webhook-Delivery"] == triggered[0].uuid
    body = json.loads(request.body)
    assert body["version"] == "1.2.3" and body["tags"] == "main" and body["event"] == "contract_published"
    assert body["pact"].startswith("https://acme.example/pacts/provider/Bar/consumer/Foo/pact-version/")

    logs = acme.client().get(f"/triggered-webhooks/{done.uuid}/logs").json()
    text = logs["executions"][0]["logs"]
    assert logs["executions"][0]["success"] is True and "HTTP/1.1 200" in text
    assert "acme-token-value" not in text and "Authorization: ********" in text
    assert outsider.client().get(f"/triggered-webhooks/{done.uuid}/logs").status_code == 404


def test_failed_deliveries_are_retried_on_schedule_until_success(acme, celery_worker, local_webhooks):
    server = Receiver(statuses=[500, 503, 200])
    try:
        _, triggered = publish_and_trigger(acme.schema, url=server.url(), events=["contract_published"])
        done = wait_status(acme.schema, triggered[0].uuid)
    finally:
        server.stop()

    assert done.status == "success" and done.attempts_made == 3 and len(server.requests) == 3
    # One idempotency id for the triggered webhook, the same on every retry.
    assert {r.headers["X-Pact-Broker-Webhook-Delivery"] for r in server.requests} == {done.uuid}
    listed = acme.client().get("/pacts/provider/Bar/consumer/Foo/version/1.2.3/triggered-webhooks").json()
    entry = listed["_embedded"]["triggeredWebhooks"][0]
    assert entry["status"] == "success" and entry["attemptsMade"] == 3 and entry["attemptsRemaining"] == 0
    executions = acme.client().get(f"/triggered-webhooks/{done.uuid}/logs").json()["executions"]
    assert [(e["success"], e["retryNumber"], e["responseStatus"]) for e in executions] == [
        (False, 0, 500),
        (False, 1, 503),
        (True, 2, 200),
    ]
    assert "Retrying webhook in 0.2 seconds" in executions[0]["logs"]


def test_retries_are_exhausted_after_the_schedule_and_the_webhook_fails(acme, celery_worker, local_webhooks):
    server = Receiver(statuses=[500])
    try:
        _, triggered = publish_and_trigger(acme.schema, url=server.url(), events=["contract_published"])
        done = wait_status(acme.schema, triggered[0].uuid)
        time.sleep(0.5)
    finally:
        server.stop()

    assert done.status == "failure" and done.attempts_made == 3 and len(server.requests) == 3
    text = acme.client().get(f"/triggered-webhooks/{done.uuid}/logs", HTTP_ACCEPT="text/plain")
    assert text["Content-Type"].startswith("text/plain")
    assert "Webhook failed after 3 attempt(s)." in text.content.decode()


def test_a_receiver_that_times_out_counts_as_a_failed_attempt(acme, celery_worker, local_webhooks):
    server = Receiver(delay=2.5)
    try:
        _, triggered = publish_and_trigger(acme.schema, url=server.url(), events=["contract_published"])
        done = wait_status(acme.schema, triggered[0].uuid, timeout=40)
    finally:
        server.stop()

    assert done.status == "failure"
    logs = acme.client().get(f"/triggered-webhooks/{done.uuid}/logs").json()["executions"]
    assert all("timed out" in e["error"] for e in logs)


def test_a_webhook_to_a_name_resolving_to_loopback_is_refused_and_logged(acme, celery_worker, local_webhooks, receiver):
    _, triggered = publish_and_trigger(
        acme.schema, url=f"http://localhost:{receiver.port}/hook", events=["contract_published"]
    )

    done = wait_status(acme.schema, triggered[0].uuid)

    assert done.status == "failure" and done.attempts_made == 1 and receiver.requests == []
    logs = acme.client().get(f"/triggered-webhooks/{done.uuid}/logs").json()["executions"][0]["logs"]
    assert "Refused" in logs and "host must be in the whitelist" in logs


def test_publishing_over_http_fires_the_webhook_through_the_worker(acme, celery_worker, local_webhooks, receiver):
    """The whole path: PUT pact -> domain event after commit -> one Celery task -> triggered webhook
    -> delivery task -> the receiver. The publish request itself only enqueues."""
    with schema_context(acme.schema):
        webhook_create(
            url=receiver.url("/published"),
            events=["contract_published"],
            headers={"Content-Type": "application/json"},
            body={"consumer": "${pactbroker.consumerName}", "pact": "${pactbroker.pactUrl}"},
        )
    pact = {
        "consumer": {"name": "Foo"},
        "provider": {"name": "Bar"},
        "interactions": [
            {"description": "a request", "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }

    response = acme.client().put(
        "/pacts/provider/Bar/consumer/Foo/version/1.0.0", data=json.dumps(pact), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    receiver.wait_for(1, timeout=30)
    [request] = receiver.requests
    body = json.loads(request.body)
    assert request.path == "/published"
    assert body["consumer"] == "Foo"
    assert body["pact"].startswith(f"http://{acme.host}/pacts/provider/Bar/consumer/Foo/")
