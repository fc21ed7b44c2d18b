"""The trigger that turns an event into deliveries.

`webhooks_trigger` is the single entry point for events (the broker's TriggerService): it finds
the enabled webhooks subscribed to the event whose scope matches the pact's consumer and
provider, records one TriggeredWebhook per webhook and expanded context (status `not_run`), and
enqueues one Celery task per row after the surrounding transaction commits. Called inside the
publishing transaction, the rows commit atomically with the publication (an outbox): if the
enqueue is lost, `triggered_webhooks_requeue` finds them again. The web request never waits on
a delivery.
"""

import logging
import uuid as uuid_lib

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.contracts.models import Label, LatestPactPublication, Pacticipant, PactPublication
from apps.verifications.models import Verification
from apps.webhooks.models import TriggeredWebhook, Webhook
from apps.webhooks.services import deliveries

logger = logging.getLogger(__name__)


def _scope_q(side: str, pacticipant: Pacticipant) -> Q:
    labels = Label.objects.filter(pacticipant=pacticipant).values_list("name", flat=True)
    return (
        Q(**{f"{side}__isnull": True, f"{side}_label__isnull": True})
        | Q(**{side: pacticipant})
        | Q(**{f"{side}_label__in": labels})
    )


def webhooks_matching(*, consumer: Pacticipant, provider: Pacticipant, event_name: str):
    return (
        Webhook.objects.filter(enabled=True, events__contains=[event_name])
        .filter(_scope_q("consumer", consumer))
        .filter(_scope_q("provider", provider))
        .order_by("created_at", "id")
    )


def base_url_for_tenant() -> str:
    """Links in webhook parameters when the caller gave no request base URL."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/")
    from tenants.models import Domain

    domain = Domain.objects.filter(tenant__schema_name=connection.schema_name, is_primary=True).first()
    return f"https://{domain.domain}" if domain else ""


def _publication_for_verification(verification: Verification) -> PactPublication:
    """The current publication of the verified content with the newest consumer version."""
    latest = (
        LatestPactPublication.objects.filter(pact_version_id=verification.pact_version_id)
        .order_by("-consumer_version_order")
        .select_related("pact_publication")
        .first()
    )
    if latest:
        return latest.pact_publication
    return PactPublication.objects.filter(pact_version_id=verification.pact_version_id).order_by("-id").first()


def _expand_for_selected_consumer_versions(context: dict, publication: PactPublication) -> list[tuple]:
    """One context per consumer version named by the verified pact's selectors (broker behaviour:
    a de-duplicated pact verified once reports back to every consumer commit it stood for)."""
    selectors = context.get("consumer_version_selectors")
    if not isinstance(selectors, list) or not selectors:
        return [(context, publication)]
    base = {k: v for k, v in context.items() if k != "consumer_version_selectors"}
    by_number: dict[str, list] = {}
    for selector in selectors:
        number = selector.get("consumer_version_number")
        if number:
            by_number.setdefault(number, []).append(selector)
    expanded = []
    for number, group in by_number.items():
        tags = list(dict.fromkeys(s["tag"] for s in group if s.get("tag")))
        found = (
            LatestPactPublication.objects.filter(
                consumer_version__number=number,
                consumer_version__pacticipant_id=publication.consumer_id,
                provider_id=publication.provider_id,
            )
            .select_related("pact_publication")
            .first()
        )
        expanded.append(
            (
                {**base, "consumer_version_number": number, "consumer_version_tags": tags},
                found.pact_publication if found else publication,
            )
        )
    return expanded or [(context, publication)]


def webhooks_trigger(
    *,
    event_name: str,
    pact_publication: PactPublication | None = None,
    verification: Verification | None = None,
    event_context: dict | None = None,
    trigger_type: str = TriggeredWebhook.TriggerType.RESOURCE_CREATION,
    contexts: list[dict] | None = None,
) -> list[TriggeredWebhook]:
    """Record and enqueue the deliveries of one event. Returns the triggered webhooks.

    `event_context` may carry: base_url (links in parameters; defaults to the tenant's host),
    build_url, consumer_version_selectors (verification events: [{consumer_version_number, tag}]),
    provider_version_number/branch/descriptions. `contexts` (internal) expands one event into
    several deliveries per webhook (e.g. one per provider version requiring verification).
    """
    if pact_publication is None:
        if verification is None:
            raise ValueError("webhooks_trigger needs a pact_publication or a verification")
        pact_publication = _publication_for_verification(verification)
        if pact_publication is None:
            return []
    base = {"base_url": base_url_for_tenant(), **(event_context or {}), "event_name": event_name}
    with transaction.atomic():
        webhooks = list(
            webhooks_matching(
                consumer=pact_publication.consumer, provider=pact_publication.provider, event_name=event_name
            )
        )
        if not webhooks:
            return []
        pairs = []
        for context in contexts or [{}]:
            merged = {**base, **context}
            pairs.extend(
                _expand_for_selected_consumer_versions(merged, pact_publication)
                if verification
                else [(merged, pact_publication)]
            )
        now = timezone.now()
        triggered = TriggeredWebhook.objects.bulk_create(
            [
                TriggeredWebhook(
                    uuid=str(uuid_lib.uuid4()),
                    trigger_type=trigger_type,
                    event_name=event_name,
                    event_context=context,
                    webhook=webhook,
                    webhook_uuid=webhook.uuid,
                    pact_publication=publication,
                    verification=verification,
                    consumer_id=publication.consumer_id,
                    provider_id=publication.provider_id,
                    next_attempt_at=now,
                )
                for webhook in webhooks
                for context, publication in pairs
            ]
        )
        schema = connection.schema_name
        uuids = [t.uuid for t in triggered]
        transaction.on_commit(lambda: deliveries.triggered_webhooks_enqueue(schema_name=schema, uuids=uuids))
    logger.info("event %s triggered %d webhook(s)", event_name, len(triggered))
    return triggered
