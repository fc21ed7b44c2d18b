"""Builders for webhook tests: webhooks made through the webhook service, deliveries triggered and run
through the trigger and execution services, and waiting for deliveries run by a worker.

Pacts and verifications come from `tests.support.factories`, like every other suite's.
"""

import json
import time
from unittest import mock

from django.db import transaction
from django.test import override_settings
from django_tenants.utils import schema_context

from apps.contracts.services.find_or_create import pacticipant_find_or_create
from apps.core import outbound
from apps.webhooks import ssrf
from apps.webhooks.models import TriggeredWebhook, Webhook
from apps.webhooks.services import webhook_save, webhook_uuid_generate, webhooks_trigger
from apps.webhooks.services.execution import triggered_webhook_execute
from tests.support.factories import pact_publish


def webhook_create(
    *,
    url: str,
    events=("contract_content_changed",),
    consumer: str | None = None,
    provider: str | None = None,
    consumer_label: str | None = None,
    provider_label: str | None = None,
    body=None,
    headers=None,
    method: str = "POST",
    username: str | None = None,
    password: str | None = None,
    enabled: bool = True,
    description: str | None = None,
) -> Webhook:
    fields = {
        "description": description,
        "enabled": enabled,
        "events": list(events),
        "method": method,
        "url": url,
        "headers": headers or {},
        "username": username,
        "password": password,
        "consumer": pacticipant_find_or_create(name=consumer) if consumer else None,
        "provider": pacticipant_find_or_create(name=provider) if provider else None,
        "consumer_label": consumer_label,
        "provider_label": provider_label,
        "body": json.dumps(body) if body is not None and not isinstance(body, str) else body,
        "is_json_request_body": body is not None and not isinstance(body, str),
    }
    return webhook_save(webhook=Webhook(uuid=webhook_uuid_generate()), fields=fields)


def deliveries_execute(triggered, *, answers=(200,), retries: int = 0, until_final: bool = True) -> None:
    """Run deliveries (triggered webhooks) with the execution service: until each is final, or one
    attempt each with `until_final=False`.

    Only the network is faked: every webhook URL passes the SSRF check as a public address and
    answers `answers` in turn (the last one repeats). `retries` retries come at once (a retry
    schedule of zeros), so answers (500, 200) with retries=1 are a failed attempt, then a success.
    """
    replies = iter(answers)
    status = answers[0]

    def destination_check(url):
        scheme, host, port, _ = outbound.url_split(url)
        return outbound.Destination(scheme=scheme, host=host, port=port, address="203.0.113.10")

    def request(method, url, *, checked, **kwargs):
        nonlocal status
        status = next(replies, status)
        return outbound.Response(status=status, reason="", headers=[], body=b"", truncated=False, destination=checked)

    with (
        override_settings(WEBHOOK_RETRY_SCHEDULE=[0] * retries),
        mock.patch.object(ssrf, "destination_check", destination_check),
        mock.patch.object(outbound, "request", request),
    ):
        for delivery in triggered:
            while triggered_webhook_execute(uuid=delivery.uuid) == TriggeredWebhook.Status.RETRYING and until_final:
                pass


def deliveries_run(
    *, event_name: str, pact_publication=None, verification=None, answers=(200,), retries: int = 0
) -> list[TriggeredWebhook]:
    """Raise `event_name` for a publication or a verification with the trigger service and run each
    delivery until it is final (`deliveries_execute`). Call it inside the tenant's schema. All in
    one transaction, so the delivery tasks queued on its commit find nothing left to do."""
    with transaction.atomic():
        triggered = webhooks_trigger(
            event_name=event_name, pact_publication=pact_publication, verification=verification
        )
        deliveries_execute(triggered, answers=answers, retries=retries)
    return triggered


def publish_and_trigger(schema: str, **webhook) -> tuple[Webhook, list[TriggeredWebhook]]:
    """Create a webhook, publish a pact and raise its events in one transaction, as the publish
    endpoint does; the deliveries are queued when it commits. Returns the webhook and its rows."""
    from apps.webhooks.services.event_triggers import contract_published_webhooks_trigger

    with schema_context(schema), transaction.atomic():
        hook = webhook_create(**webhook)
        publication = pact_publish("Foo", "1.2.3", "Bar", tags=["main"], events=False)
        triggered = contract_published_webhooks_trigger(
            pact_publication=publication, event_context={"base_url": "https://acme.example"}
        )
    return hook, [t for t in triggered if t.webhook_id == hook.pk]


def triggered_webhook_wait(
    schema: str, uuid: str, statuses=("success", "failure"), timeout: float = 30
) -> TriggeredWebhook:
    """Poll a triggered webhook (written by a worker process) until it has one of `statuses`."""
    deadline = time.monotonic() + timeout
    while True:
        with schema_context(schema):
            triggered = TriggeredWebhook.objects.get(uuid=uuid)
        if triggered.status in statuses or time.monotonic() > deadline:
            return triggered
        time.sleep(0.1)
