"""Response bodies of the webhook resources, in the broker's shapes (§7.1, §7.4)."""

import json
from urllib.parse import urlsplit

from apps.core import hal
from apps.webhooks.delivery import SENSITIVE_HEADER
from apps.webhooks.models import TriggeredWebhook, Webhook
from apps.webhooks.redaction import MASK
from apps.webhooks.rendering import ANY_TEMPLATE, render_with_placeholder
from apps.webhooks.services.execution import attempts_total


def webhook_description(webhook: Webhook) -> str:
    if webhook.description:
        return webhook.description
    host = urlsplit(render_with_placeholder(webhook.url or "")).hostname or ""
    return f"{(webhook.method or 'POST').upper()} {host}"


def _scope(pacticipant, label):
    if pacticipant is not None:
        return {"name": pacticipant.name}
    if label is not None:
        return {"label": label}
    return None


def _masked(value: str | None):
    """Credentials are shown masked unless they are a template (then the template is harmless)."""
    if value is None:
        return None
    return value if ANY_TEMPLATE.search(value) else MASK


def webhook_request_body(webhook: Webhook) -> dict:
    # Header names in lower case, as the broker shows them.
    headers = {
        name.lower(): (_masked(value) if SENSITIVE_HEADER.search(name) else value)
        for name, value in (webhook.headers or {}).items()
    }
    body = json.loads(webhook.body) if webhook.is_json_request_body and webhook.body is not None else webhook.body
    return hal.omit_none(
        {
            "method": webhook.method,
            "url": webhook.url,
            "headers": headers or None,
            "body": body,
            "username": webhook.username,
            "password": _masked(webhook.password),
        }
    )


def webhook_body(request, webhook: Webhook) -> dict:
    links = {
        "self": hal.link(hal.url(request, "webhooks", webhook.uuid), title=webhook_description(webhook)),
        "pb:execute": hal.link(
            hal.url(request, "webhooks", webhook.uuid, "execute"),
            title="Test the execution of the webhook with the latest matching pact or "
            "verification by sending a POST request to this URL",
        ),
    }
    for side, pacticipant in (("consumer", webhook.consumer), ("provider", webhook.provider)):
        if pacticipant is not None:
            links[f"pb:{side}"] = hal.link(
                hal.url(request, "pacticipants", pacticipant.name), title=side.title(), name=pacticipant.name
            )
    if webhook.consumer and webhook.provider:
        links["pb:pact-webhooks"] = hal.link(
            hal.url(request, "webhooks", "provider", webhook.provider.name, "consumer", webhook.consumer.name),
            title=f"All webhooks for consumer {webhook.consumer.name} and provider {webhook.provider.name}",
        )
    links["pb:webhooks"] = hal.link(hal.url(request, "webhooks"), title="All webhooks")
    body = {
        "uuid": webhook.uuid,
        "description": webhook_description(webhook),
        "consumer": _scope(webhook.consumer, webhook.consumer_label),
        "provider": _scope(webhook.provider, webhook.provider_label),
        "enabled": webhook.enabled,
        "request": webhook_request_body(webhook),
        "events": [{"name": name} for name in webhook.events],
        # PactFlow's field (omitted when none, as the open-source broker has no teams).
        "teamUuid": str(webhook.team.uuid) if webhook.team_id else None,
        "createdAt": hal.timestamp(webhook.created_at),
        "_links": links,
    }
    if webhook.updated_at and hal.timestamp(webhook.updated_at) != hal.timestamp(webhook.created_at):
        body["updatedAt"] = hal.timestamp(webhook.updated_at)
    return hal.omit_none(body)


def scope_description(webhook: Webhook) -> str:
    """The broker's title of a webhook in a list: what it applies to."""
    consumer = webhook.consumer.name if webhook.consumer_id else None
    provider = webhook.provider.name if webhook.provider_id else None
    if consumer is None and webhook.consumer_label:
        consumer = f"{'consumers ' if (provider or webhook.provider_label) else ''}labeled '{webhook.consumer_label}'"
    if provider is None and webhook.provider_label:
        provider = f"{'providers ' if (consumer or webhook.consumer_label) else ''}labeled '{webhook.provider_label}'"
    if consumer and provider:
        return f"A webhook for the pact between {consumer} and {provider}"
    if provider:
        return f"A webhook for all pacts with provider {provider}"
    if consumer:
        return f"A webhook for all pacts with consumer {consumer}"
    return "A webhook for all pacts"


def webhooks_body(request, webhooks, self_href: str, title: str = "Webhooks") -> dict:
    return {
        "_links": {
            "self": hal.link(self_href, title=title),
            "pb:create": hal.link(self_href, title="POST to create a webhook"),
            "pb:webhooks": [
                hal.link(hal.url(request, "webhooks", w.uuid), title=scope_description(w), name=webhook_description(w))
                for w in webhooks
            ],
            "curies": [{"name": "pb", "href": hal.template_url(request, "/doc/webhooks-{rel}"), "templated": True}],
        }
    }


def triggered_webhook_body(request, triggered: TriggeredWebhook) -> dict:
    finished = triggered.status in (TriggeredWebhook.Status.SUCCESS, TriggeredWebhook.Status.FAILURE)
    logs = hal.url(request, "triggered-webhooks", triggered.uuid, "logs")
    return {
        "name": webhook_description(triggered.webhook) if triggered.webhook else "Deleted webhook",
        "status": triggered.status,
        "attemptsMade": triggered.attempts_made,
        "attemptsRemaining": 0 if finished else max(attempts_total() - triggered.attempts_made, 0),
        "triggerType": triggered.trigger_type,
        "eventName": triggered.event_name,
        "triggeredAt": hal.timestamp(triggered.created_at),
        "_links": {
            "pb:logs": hal.link(logs, title="Webhook execution logs", name="Webhook execution logs"),
            "logs": hal.link(logs, title="DEPRECATED - Use pb:logs"),
            "pb:webhook": hal.link(hal.url(request, "webhooks", triggered.webhook_uuid), title="Webhook"),
        },
    }


def triggered_webhooks_body(request, triggered, self_href: str, of: str) -> dict:
    """`of`: what was published, as the broker words the title ("the pact between Foo (1) and Bar",
    "verification result 12")."""
    return {
        "_embedded": {"triggeredWebhooks": [triggered_webhook_body(request, t) for t in triggered]},
        "_links": {"self": hal.link(self_href, title=f"Webhooks triggered by the publication of {of}")},
    }


def logs_body(request, triggered: TriggeredWebhook, executions) -> dict:
    return {
        "eventName": triggered.event_name,
        "consumerName": triggered.consumer.name,
        "providerName": triggered.provider.name,
        "status": triggered.status,
        "_embedded": {"triggeredWebhook": {"uuid": triggered.uuid}},
        "executions": [
            hal.omit_none(
                {
                    "success": e.success,
                    "logs": e.logs,
                    "createdAt": hal.timestamp(e.created_at),
                    "attempt": e.attempt,
                    "retryNumber": e.attempt - 1,
                    "responseStatus": e.response_status,
                    "durationMs": e.duration_ms,
                    "error": e.error or None,
                }
            )
            for e in executions
        ],
        "_links": {
            "self": hal.link(hal.url(request, "triggered-webhooks", triggered.uuid, "logs")),
            "pb:webhook": hal.link(hal.url(request, "webhooks", triggered.webhook_uuid), title="Webhook"),
        },
    }
