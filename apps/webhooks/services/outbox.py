"""Processing the outbox rows of `receivers.py`: the webhook events of a publication or verification.

`webhook_event_process` locks the row (`SKIP LOCKED`: a duplicate message running at the same time
does nothing), records the triggered webhooks and marks the row processed in one transaction, so a
row is processed exactly once; if processing fails the transaction rolls back and the row stays
pending for the next relay or sweep. `webhook_events_relay` is the sweeper's half: rows still
pending WEBHOOK_REQUEUE_AFTER seconds after they were written are processed in the sweeping task.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.contracts.models import PactPublication
from apps.verifications.models import Verification
from apps.webhooks.models import WebhookEvent
from apps.webhooks.services.event_triggers import (
    INFER,
    contract_published_webhooks_trigger,
    verification_published_webhooks_trigger,
)

logger = logging.getLogger(__name__)


def contract_published_process(*, event: dict, base_url: str) -> int:
    publication = (
        PactPublication.objects.select_related("consumer", "provider", "consumer_version", "pact_version")
        .filter(pk=event["pact_publication_id"])
        .first()
    )
    if publication is None:  # deleted before the worker got to it
        return 0
    if not event["existed"]:
        previous = None
    elif not event["content_changed"]:
        previous = event["pact_version_sha"]
    else:
        previous = INFER  # the previous revision holds the content before this publish
    triggered = contract_published_webhooks_trigger(
        pact_publication=publication,
        previous_pact_version_sha=previous,
        event_context={"base_url": base_url, "build_url": event.get("build_url") or ""},
    )
    return len(triggered)


def verification_published_process(*, event: dict, base_url: str) -> int:
    verification = (
        Verification.objects.select_related("consumer", "provider", "provider_version", "pact_version")
        .filter(pk=event["verification_id"])
        .first()
    )
    if verification is None:
        return 0
    publication = (
        PactPublication.objects.filter(pact_version=verification.pact_version)
        .select_related("consumer", "provider", "consumer_version", "pact_version")
        .order_by("-consumer_version_order")
        .first()
    )
    context = {"base_url": base_url, "build_url": event.get("build_url") or ""}
    numbers = event.get("consumer_version_numbers") or []
    if numbers:
        context["consumer_version_selectors"] = [{"consumer_version_number": n} for n in numbers]
    triggered = verification_published_webhooks_trigger(
        verification=verification, pact_publication=publication, event_context=context
    )
    return len(triggered)


PROCESSORS = {
    WebhookEvent.Kind.CONTRACT_PUBLISHED: contract_published_process,
    WebhookEvent.Kind.VERIFICATION_PUBLISHED: verification_published_process,
}


def webhook_event_process(*, event_id: int) -> int:
    """Process one pending outbox row; returns how many webhooks it triggered (0 if already done)."""
    with transaction.atomic():
        row = (
            WebhookEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, processed_at__isnull=True)
            .first()
        )
        if row is None:  # processed already, or being processed by another worker right now
            return 0
        count = PROCESSORS[row.kind](event=row.payload, base_url=row.base_url)
        row.processed_at = timezone.now()
        row.save(update_fields=["processed_at"])
    return count


def webhook_events_relay(*, older_than_seconds: float | None = None, limit: int = 500) -> int:
    """Process this organisation's outbox rows left pending; returns how many were processed."""
    if older_than_seconds is None:
        older_than_seconds = settings.WEBHOOK_REQUEUE_AFTER
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    pending = list(
        WebhookEvent.objects.filter(processed_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    if pending:
        logger.info("processing %d webhook event(s) whose relay after commit did not happen", len(pending))
    done = 0
    for event_id in pending:
        try:
            webhook_event_process(event_id=event_id)
            done += 1
        except Exception:  # one broken event must not stop the others; it stays pending
            logger.exception("webhook event %s could not be processed", event_id)
    return done
