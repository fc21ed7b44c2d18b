"""A worker killed with SIGKILL in the middle of a delivery (the request is at the receiver, the outcome
not yet recorded): another worker process makes the delivery again once the lease has run out, the
triggered webhook ends with one recorded, successful attempt, and the receiver sees the request twice
with the same `X-Pact-Broker-Webhook-Delivery` id (at-least-once; apps/webhooks/services/execution.py).

Leases are short here (1 s connect + 2 x 3 s read timeout + 1 s margin = 8 s) so the tests stay quick.
"""

import time

import pytest
from django_tenants.utils import schema_context

from apps.webhooks.models import TriggeredWebhook
from apps.webhooks.services.execution import DELIVERY_HEADER
from tests.support.celery_workers import Worker, broker_flush
from tests.support.webhook_builders import publish_and_trigger, triggered_webhook_wait
from tests.webhooks.conftest import LOCAL_WEBHOOKS_ENV

WORKER_ENV = {**LOCAL_WEBHOOKS_ENV, "WEBHOOK_TIMEOUT": "3", "WEBHOOK_CONNECT_TIMEOUT": "1", "WEBHOOK_LEASE_MARGIN": "1"}
FIRST_RESPONSE_DELAY = 2.0  # the receiver holds the first request while the worker is killed


@pytest.fixture
def acme(committed_acme):
    return committed_acme


@pytest.fixture
def workers(transactional_db):
    started: list[Worker] = []
    broker_flush()
    yield started
    for worker in started:
        worker.stop()
    broker_flush()  # the killed worker's message is still unacknowledged in Redis


def _in_flight(receiver, acme, workers_: list[Worker]) -> TriggeredWebhook:
    receiver.delay = FIRST_RESPONSE_DELAY
    _, [triggered] = publish_and_trigger(acme.schema, url=receiver.url(), events=["contract_published"])
    assert len(receiver.wait_for(1, timeout=20)) == 1, "the first attempt never reached the receiver"
    return triggered


def _assert_delivered_again_with_the_same_id(acme, receiver, triggered):
    done = triggered_webhook_wait(acme.schema, triggered.uuid, timeout=40)
    receiver.wait_for(3, timeout=2)  # a third request would arrive now if the claim did not hold
    assert done.status == "success" and done.attempts_made == 1
    assert [r.headers[DELIVERY_HEADER] for r in receiver.requests] == [triggered.uuid, triggered.uuid]
    with schema_context(acme.schema):
        [execution] = done.executions.all()
    assert execution.success and "A previous attempt of this delivery was interrupted" in execution.logs
    listed = acme.client().get(f"/triggered-webhooks/{triggered.uuid}/logs").json()["executions"]
    assert len(listed) == 1 and listed[0]["success"] is True


def test_a_pool_process_killed_mid_delivery_is_replaced_and_the_delivery_made_again_with_the_same_id(
    acme, receiver, workers
):
    worker = Worker("prefork", env=WORKER_ENV, pool="prefork", concurrency=1).start()
    workers.append(worker)
    triggered = _in_flight(receiver, acme, workers)
    deadline = time.monotonic() + 5
    while not (pids := worker.active_task_pids("webhooks.deliver")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pids, "the worker does not report the delivery as running"

    worker.kill(pids[0])  # the pool process sending the request; the worker re-queues its message
    receiver.delay = 0

    _assert_delivered_again_with_the_same_id(acme, receiver, triggered)
    assert worker.proc.poll() is None  # the worker itself lived on, with a new pool process


def test_a_worker_killed_mid_delivery_is_taken_over_by_another_worker_through_the_sweeper(
    acme, receiver, workers, tmp_path
):
    first = Worker("first", env=WORKER_ENV).start()  # solo pool: the task runs in the killed process
    workers.append(first)
    triggered = _in_flight(receiver, acme, workers)

    first.kill()  # the whole worker: its message stays unacknowledged with the broker
    receiver.delay = 0
    second = Worker(
        "second",
        beat=True,
        env={
            **WORKER_ENV,
            "WEBHOOK_REQUEUE_INTERVAL": "1",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "celerybeat-schedule"),
        },
    ).start()
    workers.append(second)

    _assert_delivered_again_with_the_same_id(acme, receiver, triggered)
    assert first.proc.returncode == -9
