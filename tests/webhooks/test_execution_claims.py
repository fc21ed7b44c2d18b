"""A triggered webhook is delivered once even when its task runs twice or a worker dies mid-attempt."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.webhooks.models import TriggeredWebhook
from apps.webhooks.services import execution, webhooks_trigger
from tests.support.factories import pact_publish
from tests.support.webhook_builders import webhook_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def triggered(acme, local_webhooks, receiver, monkeypatch):
    enqueued = []
    monkeypatch.setattr(
        "apps.webhooks.services.deliveries.triggered_webhooks_enqueue", lambda **kwargs: enqueued.append(kwargs)
    )
    with schema_context(acme.schema):
        webhook_create(url=receiver.url(), events=["contract_published"])
        publication = pact_publish("Foo", "1", "Bar")
        row = webhooks_trigger(event_name="contract_published", pact_publication=publication)[0]
        yield row, enqueued


def test_a_second_run_after_success_sends_nothing(triggered, receiver):
    row, _ = triggered

    first = execution.triggered_webhook_execute(uuid=row.uuid)
    second = execution.triggered_webhook_execute(uuid=row.uuid)

    assert (first, second) == ("success", "nothing to do")
    assert len(receiver.requests) == 1


def test_a_duplicate_message_during_a_live_claim_is_requeued_not_run(triggered, receiver):
    row, enqueued = triggered
    token, _ = execution.triggered_webhook_claim(uuid=row.uuid)  # another worker is mid-attempt

    result = execution.triggered_webhook_execute(uuid=row.uuid)

    assert token and result == "requeued" and receiver.requests == []
    assert enqueued[-1]["uuids"] == [row.uuid] and enqueued[-1]["countdown"] > 0


def test_after_a_worker_died_mid_attempt_the_expired_claim_is_taken_over_and_delivered_once(triggered, receiver):
    row, _ = triggered
    execution.triggered_webhook_claim(uuid=row.uuid)  # the worker that claimed it died
    TriggeredWebhook.objects.filter(uuid=row.uuid).update(claimed_until=timezone.now() - timedelta(seconds=1))

    result = execution.triggered_webhook_execute(uuid=row.uuid)

    assert result == "success" and len(receiver.requests) == 1
    assert TriggeredWebhook.objects.get(uuid=row.uuid).attempts_made == 1
    [logged] = TriggeredWebhook.objects.get(uuid=row.uuid).executions.all()
    assert "A previous attempt of this delivery was interrupted" in logged.logs


def test_a_first_attempt_does_not_claim_to_follow_an_interrupted_one(triggered, receiver):
    row, _ = triggered

    execution.triggered_webhook_execute(uuid=row.uuid)

    [logged] = TriggeredWebhook.objects.get(uuid=row.uuid).executions.all()
    assert "interrupted" not in logged.logs


def test_the_sweeper_requeues_due_deliveries_whose_message_was_lost(triggered):
    row, enqueued = triggered
    TriggeredWebhook.objects.filter(uuid=row.uuid).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    from apps.webhooks.services import triggered_webhooks_requeue

    assert triggered_webhooks_requeue() == 1
    assert enqueued[-1]["uuids"] == [row.uuid]
