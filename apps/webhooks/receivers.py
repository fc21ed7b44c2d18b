"""Turn the contracts and verifications domain events into triggered webhooks, off the request.

The publish and verification services send their events *inside* the writing transaction. Here each
one is recorded as an outbox row (`WebhookEvent`) in that same transaction, so the event commits or
rolls back with the publication, and is relayed to a Celery task (in the organisation's schema)
after the commit. The task works out the broker's webhook events (`apps.webhooks.services.event_triggers`), records
the triggered webhooks and marks the row processed in one transaction, and their deliveries are
queued after that commit.

If the process dies between the commit and the enqueue, or the message broker refuses the message,
the row stays pending and the sweeper (`services.webhook_events_relay`, run by Celery beat for every
organisation) processes it: nothing is lost, and the row lock with `processed_at` makes the
processing happen once however many times it is relayed. The publishing request costs one row and
one enqueue whatever the number of webhooks, and never waits on a delivery.
"""

import dataclasses
import logging

from django.db import connection, transaction
from django.dispatch import receiver

from apps.contracts.events import ContractPublished, contract_published_in_transaction_signal
from apps.core.hal import request_base_url
from apps.verifications.events import VerificationPublished, verification_published_in_transaction_signal
from apps.webhooks.models import WebhookEvent
from apps.webhooks.tasks import webhook_event_handle

logger = logging.getLogger(__name__)


def webhook_event_relay(*, schema_name: str, event_id: int) -> None:
    """Hand a committed outbox row to a worker; on failure leave it to the sweeper."""
    try:
        webhook_event_handle.delay(schema_name, event_id)
    except Exception:  # the message broker is unreachable: the row waits for the sweeper
        logger.warning("could not queue webhook event %s; the sweeper will process it", event_id, exc_info=True)


def _record(kind: str, event) -> None:
    row = WebhookEvent.objects.create(
        kind=kind, payload=dataclasses.asdict(event), base_url=request_base_url.get() or ""
    )
    schema = connection.schema_name
    transaction.on_commit(lambda: webhook_event_relay(schema_name=schema, event_id=row.pk))


@receiver(contract_published_in_transaction_signal)
def _contract_published(sender, event: ContractPublished, **kwargs):
    _record(WebhookEvent.Kind.CONTRACT_PUBLISHED, event)


@receiver(verification_published_in_transaction_signal)
def _verification_published(sender, event: VerificationPublished, **kwargs):
    _record(WebhookEvent.Kind.VERIFICATION_PUBLISHED, event)
