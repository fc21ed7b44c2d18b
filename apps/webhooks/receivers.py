"""Turn the contracts and verifications domain events into triggered webhooks, off the request.

The publish and verification services send their events after commit. Here each is handed to a
Celery task (in the organisation's schema) that works out the broker's webhook events
(`apps.webhooks.events`) and enqueues their deliveries, so the publishing request costs one enqueue
whatever the number of webhooks, and never waits on a delivery.

If the message cannot be queued (the broker is down), the task runs here instead, after the commit:
it only records the triggered webhooks (their own enqueue failures are left to the requeue sweep),
so the event is not lost and still no delivery happens on the request.
"""
import dataclasses
import logging

from django.dispatch import receiver

from apps.contracts.events import ContractPublished, contract_published_signal
from apps.core.hal import request_base_url
from apps.verifications.events import VerificationPublished, verification_published_signal

logger = logging.getLogger(__name__)


def _queue_or_run(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # the message broker is unreachable: record the triggered webhooks now
        logger.warning("could not queue %s; recording its triggered webhooks in the request", task.name,
                       exc_info=True)
        task(*args)


@receiver(contract_published_signal)
def _contract_published(sender, event: ContractPublished, **kwargs):
    from apps.webhooks.tasks import contract_published_handle

    _queue_or_run(contract_published_handle, event.schema_name, dataclasses.asdict(event), request_base_url.get())


@receiver(verification_published_signal)
def _verification_published(sender, event: VerificationPublished, **kwargs):
    from apps.webhooks.tasks import verification_published_handle

    _queue_or_run(verification_published_handle, event.schema_name, dataclasses.asdict(event),
                  request_base_url.get())
