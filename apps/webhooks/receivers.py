"""Turn the contracts and verifications domain events into triggered webhooks.

The publish and verification services send their events after commit, still inside the request;
here each becomes the broker's webhook events (`apps.webhooks.events`), whose deliveries are
enqueued to Celery after their own commit. The request never waits on a delivery.
"""
from django.dispatch import receiver
from django_tenants.utils import schema_context

from apps.contracts.events import ContractPublished, contract_published_signal
from apps.contracts.models import PactPublication
from apps.core.hal import request_base_url
from apps.verifications.events import VerificationPublished, verification_published_signal
from apps.verifications.models import Verification
from apps.webhooks.events import (
    INFER,
    contract_published_webhooks_trigger,
    verification_published_webhooks_trigger,
)


@receiver(contract_published_signal)
def _contract_published(sender, event: ContractPublished, **kwargs):
    with schema_context(event.schema_name):
        publication = PactPublication.objects.select_related(
            "consumer", "provider", "consumer_version", "pact_version"
        ).get(pk=event.pact_publication_id)
        if not event.existed:
            previous = None
        elif not event.content_changed:
            previous = event.pact_version_sha
        else:
            previous = INFER  # the previous revision holds the content before this publish
        contract_published_webhooks_trigger(
            pact_publication=publication,
            previous_pact_version_sha=previous,
            event_context={"base_url": request_base_url.get(), "build_url": event.build_url or ""},
        )


@receiver(verification_published_signal)
def _verification_published(sender, event: VerificationPublished, **kwargs):
    with schema_context(event.schema_name):
        verification = Verification.objects.select_related(
            "consumer", "provider", "provider_version", "pact_version"
        ).get(pk=event.verification_id)
        publication = (
            PactPublication.objects.filter(pact_version=verification.pact_version)
            .select_related("consumer", "provider", "consumer_version", "pact_version")
            .order_by("-consumer_version_order").first()
        )
        context = {"base_url": request_base_url.get(), "build_url": event.build_url or ""}
        if event.consumer_version_numbers:
            context["consumer_version_selectors"] = [
                {"consumer_version_number": number} for number in event.consumer_version_numbers
            ]
        verification_published_webhooks_trigger(
            verification=verification, pact_publication=publication, event_context=context
        )
