"""One organisation's slow receivers do not delay another organisation's deliveries.

Two real worker processes (prefork, concurrency 2), at most one delivery per organisation in flight
(WEBHOOK_ORG_CONCURRENCY=1). Acme's three receivers each take 2.5 s to answer and are queued first;
Globex's one fast delivery, queued after them, must not wait for them.
"""

import time

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from apps.webhooks.services.event_triggers import contract_published_webhooks_trigger
from tests.support.celery_workers import Worker, broker_flush
from tests.support.factories import pact_publish
from tests.support.receiver import Receiver
from tests.support.webhook_builders import triggered_webhook_wait, webhook_create
from tests.webhooks.conftest import LOCAL_WEBHOOKS_ENV

SLOW = 2.5


@pytest.fixture
def workers(committed_acme, committed_outsider):
    broker_flush()
    worker = Worker(
        "fair",
        pool="prefork",
        concurrency=2,
        env={
            **LOCAL_WEBHOOKS_ENV,
            "WEBHOOK_TIMEOUT": "5",
            "WEBHOOK_ORG_CONCURRENCY": "1",
            "WEBHOOK_ORG_BUSY_DELAY": "0.5",
        },
    ).start()
    yield worker
    worker.stop()


def _publish(schema: str, urls: list[str]) -> list[str]:
    with schema_context(schema), transaction.atomic():
        for url in urls:
            webhook_create(url=url, events=["contract_published"])
        publication = pact_publish("Foo", "1", "Bar", events=False)
        triggered = contract_published_webhooks_trigger(
            pact_publication=publication, event_context={"base_url": "https://x.example"}
        )
    return [t.uuid for t in triggered]


def test_a_slow_organisation_does_not_hold_the_workers_of_another(
    committed_acme, committed_outsider, workers, local_webhooks
):
    slow, fast = Receiver(delay=SLOW), Receiver()
    try:
        acme_uuids = _publish(committed_acme.schema, [slow.url(f"/slow/{n}") for n in range(3)])
        time.sleep(0.3)  # acme's messages are first in the queue
        queued = time.monotonic()
        globex_uuids = _publish(committed_outsider.schema, [fast.url("/fast")])

        fast.wait_for(1, timeout=15)
        fast_after = time.monotonic() - queued
        slow_started = len(slow.requests)
        for uuid in acme_uuids:
            assert triggered_webhook_wait(committed_acme.schema, uuid, timeout=40).status == "success"
        assert triggered_webhook_wait(committed_outsider.schema, globex_uuids[0]).status == "success"
    finally:
        slow.stop()
        fast.stop()

    # Without the cap both workers would be busy with acme for 2 x 2.5 s before globex's turn.
    assert fast_after < SLOW, f"globex waited {fast_after:.1f} s behind acme's slow receivers"
    assert slow_started == 1  # acme had one delivery in flight when globex's went out
    assert len(slow.requests) == 3 and len(fast.requests) == 1
