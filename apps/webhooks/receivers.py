"""Turn the contracts and verifications domain events into triggered webhooks, off the request.

The publish and verification services send their events after commit. Here each is handed to a
Celery task (in the organisation's schema) that works out the broker's webhook events
(`apps.webhooks.events`) and enqueues their deliveries, so the publishing request costs one enqueue
whatever the number of webhooks, and never waits on a delivery.
"""
import dataclasses

from django.dispatch import receiver

from apps.contracts.events import ContractPublished, contract_published_signal
from apps.core.hal import request_base_url
from apps.verifications.events import VerificationPublished, verification_published_signal


@receiver(contract_published_signal)
def _contract_published(sender, event: ContractPublished, **kwargs):
    from apps.webhooks.tasks import contract_published_handle

    contract_published_handle.delay(event.schema_name, dataclasses.asdict(event), request_base_url.get())


@receiver(verification_published_signal)
def _verification_published(sender, event: VerificationPublished, **kwargs):
    from apps.webhooks.tasks import verification_published_handle

    verification_published_handle.delay(event.schema_name, dataclasses.asdict(event), request_base_url.get())
