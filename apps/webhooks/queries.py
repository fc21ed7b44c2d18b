"""Reads on webhooks and triggered webhooks."""

from apps.contracts.models import LatestPactPublication, PactPublication
from apps.verifications.models import Verification
from apps.webhooks.models import TriggeredWebhook, Webhook

_WEBHOOK_RELATED = ("consumer", "provider")


def webhooks_all():
    return Webhook.objects.select_related(*_WEBHOOK_RELATED).order_by("created_at", "id")


def webhooks_for_scope(*, consumer=None, provider=None):
    """Webhooks scoped to exactly this consumer and provider (None = not scoped on that side)."""
    return webhooks_all().filter(consumer=consumer, provider=provider)


def webhook_find(uuid: str) -> Webhook | None:
    return webhooks_all().filter(uuid=uuid).first()


def triggered_webhooks_for_publication(publication_ids):
    return (
        TriggeredWebhook.objects.filter(pact_publication_id__in=publication_ids, verification__isnull=True)
        .select_related("webhook")
        .order_by("created_at", "id")
    )


def triggered_webhooks_for_verification(verification: Verification):
    return (
        TriggeredWebhook.objects.filter(verification=verification)
        .select_related("webhook")
        .order_by("created_at", "id")
    )


def triggered_webhooks_latest_for_integration(*, consumer, provider) -> list[TriggeredWebhook]:
    """The newest triggered webhook of each webhook and event between two pacticipants, oldest first
    (the broker's `find_latest_triggered_webhooks_for_pact`). One indexed statement."""
    newest = (
        TriggeredWebhook.objects.filter(consumer=consumer, provider=provider)
        .order_by("webhook_uuid", "event_name", "-id")
        .distinct("webhook_uuid", "event_name")
        .values("id")
    )
    return list(
        TriggeredWebhook.objects.filter(id__in=newest)
        .select_related("webhook", "pact_publication__consumer_version")
        .order_by("id")
    )


def triggered_webhook_find(uuid: str) -> TriggeredWebhook | None:
    return TriggeredWebhook.objects.select_related("consumer", "provider").filter(uuid=uuid).first()


def latest_publication_for(*, consumer=None, provider=None) -> PactPublication | None:
    """The newest current pact for a webhook's scope (test execution)."""
    latest = LatestPactPublication.objects.all()
    if consumer is not None:
        latest = latest.filter(consumer=consumer)
    if provider is not None:
        latest = latest.filter(provider=provider)
    row = latest.order_by("-consumer_version_order", "-id").select_related("pact_publication").first()
    return row.pact_publication if row else None


def latest_verification_for(publication: PactPublication) -> Verification | None:
    return Verification.objects.filter(pact_version_id=publication.pact_version_id).order_by("-id").first()
