"""The sweeper: Celery beat runs `webhooks.requeue_all`, which re-enqueues, in every organisation, the
deliveries whose queue message was lost (or whose worker died), and leaves the others alone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.webhooks.models import TriggeredWebhook
from apps.webhooks.services import execution, triggered_webhooks_requeue, webhooks_trigger
from tests.support.celery_workers import Worker
from tests.support.factories import pact_publish
from tests.support.webhook_builders import triggered_webhook_wait, webhook_create
from tests.webhooks.conftest import LOCAL_WEBHOOKS_ENV


def _trigger_without_enqueue(schema: str, url: str, monkeypatch, provider: str = "Bar") -> TriggeredWebhook:
    """A triggered webhook whose queue message was never sent (the enqueue after commit is lost)."""
    with monkeypatch.context() as patch, schema_context(schema):
        patch.setattr("apps.webhooks.services.deliveries.triggered_webhooks_enqueue", lambda **kwargs: None)
        webhook_create(url=url, events=["contract_published"], consumer="Foo", provider=provider)
        publication = pact_publish("Foo", "1", provider, events=False)
        [row] = webhooks_trigger(event_name="contract_published", pact_publication=publication)
    return row


def _age(schema: str, row: TriggeredWebhook, seconds: float) -> None:
    with schema_context(schema):
        TriggeredWebhook.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=seconds))


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "apps.webhooks.services.deliveries.triggered_webhooks_enqueue", lambda **kwargs: calls.append(kwargs)
    )
    return calls


@pytest.mark.django_db
class TestSweep:
    def test_a_lost_delivery_older_than_the_threshold_is_requeued_and_a_fresh_one_is_left(
        self, acme, receiver, monkeypatch, enqueued, settings
    ):
        settings.WEBHOOK_REQUEUE_AFTER = 60
        lost = _trigger_without_enqueue(acme.schema, receiver.url(), monkeypatch, provider="Bar")
        fresh = _trigger_without_enqueue(acme.schema, receiver.url(), monkeypatch, provider="Baz")
        _age(acme.schema, lost, 61)

        with schema_context(acme.schema):
            assert triggered_webhooks_requeue() == 1

        assert enqueued == [{"schema_name": acme.schema, "uuids": [lost.uuid]}]
        assert fresh.uuid not in enqueued[0]["uuids"]

    def test_a_delivery_whose_lease_ran_out_is_requeued_at_once_and_a_live_lease_is_left(
        self, acme, receiver, monkeypatch, enqueued
    ):
        orphaned = _trigger_without_enqueue(acme.schema, receiver.url(), monkeypatch, provider="Bar")
        running = _trigger_without_enqueue(acme.schema, receiver.url(), monkeypatch, provider="Baz")
        with schema_context(acme.schema):
            execution.triggered_webhook_claim(uuid=orphaned.uuid)  # its worker then died
            execution.triggered_webhook_claim(uuid=running.uuid)  # still sending
            TriggeredWebhook.objects.filter(pk=orphaned.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))

            assert triggered_webhooks_requeue() == 1

        assert enqueued[-1]["uuids"] == [orphaned.uuid]

    def test_finished_deliveries_are_never_requeued(self, acme, receiver, monkeypatch, enqueued):
        row = _trigger_without_enqueue(acme.schema, receiver.url(), monkeypatch)
        with schema_context(acme.schema):
            TriggeredWebhook.objects.filter(pk=row.pk).update(
                status="failure", next_attempt_at=timezone.now() - timedelta(hours=1)
            )

            assert triggered_webhooks_requeue() == 0

    def test_requeue_all_queues_one_sweep_per_organisation_and_none_for_public_or_the_template(
        self, acme, outsider, monkeypatch
    ):
        from apps.webhooks import tasks

        queued = []
        monkeypatch.setattr(tasks.webhooks_requeue, "apply_async", lambda args, **kwargs: queued.append(args[0]))

        count = tasks.webhooks_requeue_all()

        assert {acme.schema, outsider.schema} <= set(queued)
        assert "public" not in queued and "tenant_template" not in queued
        assert count == len(queued)


def test_celery_beat_runs_the_sweep_for_every_organisation_on_the_configured_interval(settings):
    from config.celery import app

    entry = app.conf.beat_schedule["webhooks-requeue"]

    assert entry["task"] == "webhooks.requeue_all"
    assert entry["schedule"] == settings.WEBHOOK_REQUEUE_INTERVAL
    assert "webhooks.requeue_all" in app.tasks and "webhooks.requeue" in app.tasks


@pytest.mark.parametrize("transport", ["redis", "filesystem"])
def test_beat_delivers_lost_deliveries_of_every_organisation_and_leaves_fresh_ones(
    committed_acme, committed_outsider, receiver, monkeypatch, tmp_path, transport
):
    """A real worker with embedded beat (`-B`, as `make run` runs beat beside its worker), on Redis
    and on the filesystem transport `make run` uses when no broker is configured."""
    acme, globex = committed_acme, committed_outsider
    lost = _trigger_without_enqueue(acme.schema, receiver.url("/acme"), monkeypatch, provider="Bar")
    fresh = _trigger_without_enqueue(acme.schema, receiver.url("/acme-fresh"), monkeypatch, provider="Baz")
    lost_globex = _trigger_without_enqueue(globex.schema, receiver.url("/globex"), monkeypatch)
    _age(acme.schema, lost, 300)
    _age(globex.schema, lost_globex, 300)
    env = {
        **LOCAL_WEBHOOKS_ENV,
        "WEBHOOK_REQUEUE_INTERVAL": "1",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "celerybeat-schedule"),
    }
    if transport == "filesystem":
        env.update(CELERY_BROKER_URL="filesystem://", CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"))
    worker = Worker("beat", env=env, beat=True)
    try:
        worker.start(wait=transport == "redis")  # a filesystem worker cannot be pinged over Redis
        done = [
            triggered_webhook_wait(acme.schema, lost.uuid, timeout=60),
            triggered_webhook_wait(globex.schema, lost_globex.uuid, timeout=30),
        ]
        receiver.wait_for(3, timeout=4)  # several more sweeps: nothing else may be sent
    finally:
        worker.stop()

    assert [row.status for row in done] == ["success", "success"]
    assert sorted((r.path, r.headers["X-Pact-Broker-Webhook-Delivery"]) for r in receiver.requests) == sorted(
        [("/acme", lost.uuid), ("/globex", lost_globex.uuid)]
    )
    with schema_context(acme.schema):
        left = TriggeredWebhook.objects.get(pk=fresh.pk)
    assert (left.status, left.attempts_made) == ("not_run", 0)
