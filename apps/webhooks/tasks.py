"""Celery tasks of the webhooks app. Each runs inside the tenant named by its first argument, except
`webhooks_requeue_all`, the beat entry point, which only names the tenants.

Time limits (seconds; soft raises in the task, hard kills the worker process): a delivery's are its
own deadline, so that a worker is stopped before its lease ends and another worker may send the
delivery again (apps/webhooks/services/execution.py); the others do a bounded amount of database work.
"""

from celery import shared_task
from django.conf import settings

from apps.core.tasks import tenant_task
from apps.webhooks.services.deliveries import DELIVER_TASK, triggered_webhooks_requeue
from apps.webhooks.services.execution import triggered_webhook_execute
from apps.webhooks.services.outbox import (
    contract_published_process,
    verification_published_process,
    webhook_event_process,
    webhook_events_relay,
)

# One attempt: the request (connect, then WEBHOOK_TIMEOUT for the rest, counted twice as the lease
# does) plus a little bookkeeping; the hard limit is the lease itself.
_ATTEMPT = settings.WEBHOOK_CONNECT_TIMEOUT + 2 * settings.WEBHOOK_TIMEOUT
DELIVERY_LIMITS = {
    "soft_time_limit": _ATTEMPT + settings.WEBHOOK_LEASE_MARGIN / 2,
    "time_limit": _ATTEMPT + settings.WEBHOOK_LEASE_MARGIN,
}
# Working out one event's triggered webhooks, or one organisation's sweep.
EVENT_LIMITS = {"soft_time_limit": 120, "time_limit": 150}


@tenant_task(name=DELIVER_TASK, acks_late=True, reject_on_worker_lost=True, **DELIVERY_LIMITS)
def webhook_deliver(schema_name: str, triggered_webhook_uuid: str) -> str:
    """One due attempt of a triggered webhook (claimed first, so duplicates are harmless)."""
    return triggered_webhook_execute(uuid=triggered_webhook_uuid)


@tenant_task(name="webhooks.requeue", **EVENT_LIMITS)
def webhooks_requeue(schema_name: str) -> int:
    """One organisation's sweep: process outbox events left pending (their enqueue after commit failed
    or was never made), then re-enqueue due deliveries whose message was lost or whose worker died."""
    return webhook_events_relay() + triggered_webhooks_requeue()


@shared_task(name="webhooks.requeue_all", soft_time_limit=60, time_limit=90)  # lists schemas, queues
def webhooks_requeue_all() -> int:
    """Celery beat's entry (config/celery.py): one `webhooks.requeue` per organisation, so each sweep
    runs inside its tenant and one organisation's failure never stops the others'. Returns how many
    were queued."""
    from tenants.queries import tenant_schema_names

    expires = settings.WEBHOOK_REQUEUE_INTERVAL  # the next sweep covers a stale one
    schemas = tenant_schema_names()
    for schema_name in schemas:
        webhooks_requeue.apply_async(args=[schema_name], expires=expires)
    return len(schemas)


@tenant_task(name="webhooks.event", acks_late=True, **EVENT_LIMITS)
def webhook_event_handle(schema_name: str, event_id: int) -> int:
    """Process one outbox row (apps.webhooks.receivers): at most once, whatever the duplicates."""
    return webhook_event_process(event_id=event_id)


@tenant_task(name="webhooks.contract_published", acks_late=True, **EVENT_LIMITS)
def contract_published_handle(schema_name: str, event: dict, base_url: str) -> int:
    """A message queued before the outbox existed (kept for the messages of a rolling deploy)."""
    return contract_published_process(event=event, base_url=base_url)


@tenant_task(name="webhooks.verification_published", acks_late=True, **EVENT_LIMITS)
def verification_published_handle(schema_name: str, event: dict, base_url: str) -> int:
    """A message queued before the outbox existed (kept for the messages of a rolling deploy)."""
    return verification_published_process(event=event, base_url=base_url)
