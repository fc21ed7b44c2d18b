"""When the message broker cannot take the event's message, the publish still commits its event (an
outbox row, written in the publishing transaction); the sweeper processes it later, once."""

import pytest
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError

from apps.webhooks import tasks
from apps.webhooks.models import TriggeredWebhook, WebhookEvent
from apps.webhooks.services.outbox import webhook_events_relay
from tests.support.pacts import pact_fixture, pact_put
from tests.support.webhook_builders import webhook_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.webhook_event_handle, "delay", refuse)
    monkeypatch.setattr(tasks.webhook_deliver, "apply_async", refuse)


def test_a_publish_keeps_its_event_when_it_cannot_be_queued_and_the_sweeper_records_it(
    acme, broker_down, django_capture_on_commit_callbacks
):
    with schema_context(acme.schema):
        webhook_create(url="https://ci.example.org/build", events=["contract_published"])

    with django_capture_on_commit_callbacks(execute=True):
        response = pact_put(acme.client(), pact_fixture("foo-bar"), version="1")

    assert response.status_code == 201
    with schema_context(acme.schema):
        assert list(WebhookEvent.objects.values_list("kind", "processed_at")) == [("contract_published", None)]
        assert not TriggeredWebhook.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_events_relay(older_than_seconds=0) == 1
        triggered = list(TriggeredWebhook.objects.values_list("event_name", "status"))
        assert WebhookEvent.objects.get().processed_at is not None
    assert triggered == [("contract_published", "not_run")]  # its delivery's enqueue failed too: the sweep's
