"""Celery tasks of the webhooks app. Each runs inside the tenant named by its first argument, except
`webhooks_requeue_all`, the beat entry point, which only names the tenants."""
from config.celery import app, tenant_task


@tenant_task(name="webhooks.deliver", acks_late=True, reject_on_worker_lost=True)
def webhook_deliver(schema_name: str, triggered_webhook_uuid: str) -> str:
    """One due attempt of a triggered webhook (claimed first, so duplicates are harmless)."""
    from apps.webhooks.execution import triggered_webhook_execute

    return triggered_webhook_execute(uuid=triggered_webhook_uuid)


@tenant_task(name="webhooks.requeue")
def webhooks_requeue(schema_name: str) -> int:
    """One organisation's sweep: re-enqueue due deliveries whose message was lost or whose worker died."""
    from apps.webhooks.services import triggered_webhooks_requeue

    return triggered_webhooks_requeue()


@app.task(name="webhooks.requeue_all")
def webhooks_requeue_all() -> int:
    """Celery beat's entry (config/celery.py): one `webhooks.requeue` per organisation, so each sweep
    runs inside its tenant and one organisation's failure never stops the others'. Returns how many
    were queued."""
    from django.conf import settings

    from tenants.queries import tenant_schema_names

    expires = settings.WEBHOOK_REQUEUE_INTERVAL  # the next sweep covers a stale one
    schemas = tenant_schema_names()
    for schema_name in schemas:
        webhooks_requeue.apply_async(args=[schema_name], expires=expires)
    return len(schemas)


@tenant_task(name="webhooks.contract_published", acks_late=True)
def contract_published_handle(schema_name: str, event: dict, base_url: str) -> int:
    """The webhook events of one pact publication (see apps.webhooks.receivers)."""
    from apps.contracts.models import PactPublication
    from apps.webhooks.events import INFER, contract_published_webhooks_trigger

    publication = PactPublication.objects.select_related(
        "consumer", "provider", "consumer_version", "pact_version"
    ).filter(pk=event["pact_publication_id"]).first()
    if publication is None:  # deleted before the worker got to it
        return 0
    if not event["existed"]:
        previous = None
    elif not event["content_changed"]:
        previous = event["pact_version_sha"]
    else:
        previous = INFER  # the previous revision holds the content before this publish
    triggered = contract_published_webhooks_trigger(
        pact_publication=publication, previous_pact_version_sha=previous,
        event_context={"base_url": base_url, "build_url": event.get("build_url") or ""},
    )
    return len(triggered)


@tenant_task(name="webhooks.verification_published", acks_late=True)
def verification_published_handle(schema_name: str, event: dict, base_url: str) -> int:
    """The webhook events of one verification result (see apps.webhooks.receivers)."""
    from apps.contracts.models import PactPublication
    from apps.verifications.models import Verification
    from apps.webhooks.events import verification_published_webhooks_trigger

    verification = Verification.objects.select_related(
        "consumer", "provider", "provider_version", "pact_version"
    ).filter(pk=event["verification_id"]).first()
    if verification is None:
        return 0
    publication = (
        PactPublication.objects.filter(pact_version=verification.pact_version)
        .select_related("consumer", "provider", "consumer_version", "pact_version")
        .order_by("-consumer_version_order").first()
    )
    context = {"base_url": base_url, "build_url": event.get("build_url") or ""}
    numbers = event.get("consumer_version_numbers") or []
    if numbers:
        context["consumer_version_selectors"] = [{"consumer_version_number": n} for n in numbers]
    triggered = verification_published_webhooks_trigger(
        verification=verification, pact_publication=publication, event_context=context
    )
    return len(triggered)
