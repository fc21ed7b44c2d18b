"""A webhook event survives a crash between the publication's commit and its Celery enqueue.

The event is an outbox row written in the publishing transaction (apps/webhooks/receivers.py). Here
the enqueue after commit fails (the broker refuses the message) or never happens (the process died),
the row stays pending, and the sweeper of a real Celery worker (`webhooks.requeue_all`, Celery
beat's task) processes it: the receiver gets the delivery exactly once, however many sweeps and
duplicate messages follow.
"""

import time

import pytest
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError

from apps.webhooks import receivers, tasks
from apps.webhooks.models import TriggeredWebhook, WebhookEvent
from apps.webhooks.services.outbox import webhook_event_process
from tests.support.pacts import pact_fixture, pact_put
from tests.support.webhook_builders import triggered_webhook_wait, webhook_create
from tests.webhooks import conftest as webhook_fixtures
from tests.webhooks.conftest import LOCAL_WEBHOOKS_ENV

local_webhooks = webhook_fixtures.local_webhooks
receiver = webhook_fixtures.receiver
committed_acme = webhook_fixtures.committed_acme


@pytest.fixture
def celery_worker_env():
    return {**LOCAL_WEBHOOKS_ENV, "WEBHOOK_REQUEUE_AFTER": "0"}


def _refuse(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _never(**kwargs):
    """The web process died right after the commit: the relay never runs."""


@pytest.mark.parametrize("failure", ["broker refuses the message", "process died after commit"])
def test_an_event_whose_enqueue_failed_after_commit_is_delivered_once_by_the_sweeper(
    committed_acme, celery_worker, local_webhooks, receiver, monkeypatch, failure
):
    acme = committed_acme
    with schema_context(acme.schema):
        webhook_create(url=receiver.url("/build"), events=["contract_published"])
    if failure == "broker refuses the message":
        monkeypatch.setattr(tasks.webhook_event_handle, "delay", _refuse)
    else:
        monkeypatch.setattr(receivers, "webhook_event_relay", _never)

    assert pact_put(acme.client(), pact_fixture("foo-bar"), version="1").status_code == 201

    with schema_context(acme.schema):
        event = WebhookEvent.objects.get()
        assert event.kind == "contract_published" and event.processed_at is None  # committed, still pending
        assert not TriggeredWebhook.objects.exists()
    time.sleep(0.5)
    assert receiver.requests == []

    monkeypatch.undo()
    for _ in range(3):  # three sweeps, and a late duplicate of the lost message
        tasks.webhooks_requeue_all.delay()
    tasks.webhook_event_handle.delay(acme.schema, event.pk)

    receiver.wait_for(1)
    with schema_context(acme.schema):
        triggered = TriggeredWebhook.objects.get()
    done = triggered_webhook_wait(acme.schema, triggered.uuid)
    time.sleep(1.5)  # any duplicate would have arrived by now
    assert done.status == "success" and len(receiver.requests) == 1
    assert receiver.requests[0].path == "/build"
    with schema_context(acme.schema):
        assert WebhookEvent.objects.get().processed_at is not None
        assert TriggeredWebhook.objects.count() == 1


def test_processing_an_event_twice_records_its_triggered_webhooks_once(
    acme, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(receivers, "webhook_event_relay", _never)
    with schema_context(acme.schema):
        webhook_create(url="https://ci.example.org/build", events=["contract_published"])
    with django_capture_on_commit_callbacks(execute=True):
        assert pact_put(acme.client(), pact_fixture("foo-bar"), version="1").status_code == 201

    with schema_context(acme.schema):
        event = WebhookEvent.objects.get()
        monkeypatch.setattr(tasks.webhook_deliver, "apply_async", lambda *a, **k: None)
        with django_capture_on_commit_callbacks(execute=True):
            first = webhook_event_process(event_id=event.pk)
            second = webhook_event_process(event_id=event.pk)
        assert (first, second) == (1, 0)
        assert TriggeredWebhook.objects.count() == 1


def test_a_publish_that_rolls_back_leaves_no_event(acme, monkeypatch):
    """The row is written in the publishing transaction: a failed publish records nothing."""
    from apps.contracts.services import pacts

    def fail_after_events(**kwargs):
        original(**kwargs)
        raise RuntimeError("the database went away mid-publish")

    original = pacts.published_events_schedule
    monkeypatch.setattr(pacts, "published_events_schedule", fail_after_events)

    assert pact_put(acme.client(), pact_fixture("foo-bar"), version="1").status_code == 500

    with schema_context(acme.schema):
        assert not WebhookEvent.objects.exists()
