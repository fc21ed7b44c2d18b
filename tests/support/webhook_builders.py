"""Builders for webhook tests: pacts, verifications and webhooks made straight through the models.

The publishing and verification endpoints are built on other branches; these helpers write the
same rows those services will (publication revisions, the latest-publication row, integration).
"""
import hashlib
import json
import time

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.contracts.models import Integration, Label, LatestPactPublication, PactPublication, PactVersion
from apps.contracts.services.versions import (
    branch_version_add,
    pacticipant_find_or_create,
    tag_add,
    version_find_or_create,
)
from apps.verifications.models import LatestVerification, Verification
from apps.webhooks.models import TriggeredWebhook, Webhook
from apps.webhooks.services import webhook_save, webhook_uuid_generate


def pact_publish(*, consumer: str, provider: str, version: str, content: str = "v1", tags=(),
                 branch: str | None = None) -> PactPublication:
    """Publish pact `content` (any string standing for the interactions) for a consumer version."""
    consumer_row, _ = pacticipant_find_or_create(name=consumer)
    provider_row, _ = pacticipant_find_or_create(name=provider)
    version_row, _ = version_find_or_create(pacticipant=consumer_row, number=version)
    version_row.refresh_from_db()
    for tag in tags:
        tag_add(version=version_row, name=tag)
    if branch:
        branch_version_add(version=version_row, branch_name=branch)
    body = json.dumps({"consumer": {"name": consumer}, "provider": {"name": provider}, "interactions": [content]})
    sha = hashlib.sha1(content.encode()).hexdigest()
    pact_version, _ = PactVersion.objects.get_or_create(consumer=consumer_row, provider=provider_row, sha=sha,
                                                        defaults={"content": body})
    previous = PactPublication.objects.filter(consumer_version=version_row, provider=provider_row) \
        .order_by("-revision_number").first()
    if previous and previous.pact_version_id == pact_version.pk:
        return previous  # identical re-publish: no new revision
    publication = PactPublication.objects.create(
        consumer_version=version_row, provider=provider_row, consumer=consumer_row,
        revision_number=(previous.revision_number + 1) if previous else 1, pact_version=pact_version,
        consumer_version_order=version_row.order,
    )
    LatestPactPublication.objects.update_or_create(
        consumer_version=version_row, provider=provider_row,
        defaults={"consumer": consumer_row, "pact_publication": publication, "pact_version": pact_version,
                  "consumer_version_order": version_row.order, "created_at": version_row.created_at},
    )
    Integration.objects.get_or_create(consumer=consumer_row, provider=provider_row)
    return publication


def verification_record(*, publication: PactPublication, provider_version: str, success: bool = True,
                        branch: str | None = None, tags=()) -> Verification:
    version_row, _ = version_find_or_create(pacticipant=publication.provider, number=provider_version)
    version_row.refresh_from_db()
    for tag in tags:
        tag_add(version=version_row, name=tag)
    if branch:
        branch_version_add(version=version_row, branch_name=branch)
    verification = Verification.objects.create(
        success=success, provider_version=version_row, pact_version=publication.pact_version,
        consumer=publication.consumer, provider=publication.provider, execution_date=timezone.now(),
    )
    verification.refresh_from_db()
    LatestVerification.objects.update_or_create(
        pact_version=publication.pact_version, provider_version=version_row,
        defaults={"verification": verification, "consumer": publication.consumer,
                  "provider": publication.provider, "created_at": verification.created_at},
    )
    return verification


def label_add(*, pacticipant: str, label: str) -> None:
    row, _ = pacticipant_find_or_create(name=pacticipant)
    Label.objects.get_or_create(pacticipant=row, name=label)


def webhook_create(*, url: str, events=("contract_content_changed",), consumer: str | None = None,
                   provider: str | None = None, consumer_label: str | None = None,
                   provider_label: str | None = None, body=None, headers=None, method: str = "POST",
                   username: str | None = None, password: str | None = None, enabled: bool = True,
                   description: str | None = None) -> Webhook:
    fields = {
        "description": description, "enabled": enabled, "events": list(events), "method": method, "url": url,
        "headers": headers or {}, "username": username, "password": password,
        "consumer": pacticipant_find_or_create(name=consumer)[0] if consumer else None,
        "provider": pacticipant_find_or_create(name=provider)[0] if provider else None,
        "consumer_label": consumer_label, "provider_label": provider_label,
        "body": json.dumps(body) if body is not None and not isinstance(body, str) else body,
        "is_json_request_body": body is not None and not isinstance(body, str),
    }
    return webhook_save(webhook=Webhook(uuid=webhook_uuid_generate()), fields=fields)


def publish_and_trigger(schema: str, **webhook) -> tuple[Webhook, list[TriggeredWebhook]]:
    """Create a webhook, publish a pact and raise its events in one transaction, as the publish
    endpoint does; the deliveries are queued when it commits. Returns the webhook and its rows."""
    from apps.webhooks.triggers import contract_published_webhooks_trigger

    with schema_context(schema), transaction.atomic():
        hook = webhook_create(**webhook)
        publication = pact_publish(consumer="Foo", provider="Bar", version="1.2.3", tags=["main"])
        triggered = contract_published_webhooks_trigger(pact_publication=publication,
                                                        event_context={"base_url": "https://acme.example"})
    return hook, [t for t in triggered if t.webhook_id == hook.pk]


def triggered_webhook_wait(schema: str, uuid: str, statuses=("success", "failure"), timeout: float = 30
                           ) -> TriggeredWebhook:
    """Poll a triggered webhook (written by a worker process) until it has one of `statuses`."""
    deadline = time.monotonic() + timeout
    while True:
        with schema_context(schema):
            triggered = TriggeredWebhook.objects.get(uuid=uuid)
        if triggered.status in statuses or time.monotonic() > deadline:
            return triggered
        time.sleep(0.1)
