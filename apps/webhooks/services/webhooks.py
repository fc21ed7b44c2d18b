"""Writes on webhooks themselves (the broker's webhook resource).

Their audit entries name the webhook, its scope, events and the receiver's host only: the URL's
path and query, headers, body and credentials may carry secrets (or `${user.*}` placeholders whose
values must never be near the log).
"""

from datetime import datetime
from secrets import token_urlsafe
from urllib.parse import urlsplit

from django.db import transaction

from apps.accounts.audit import audit_record, changes
from apps.webhooks.models import Webhook


def webhook_audit_target(webhook: Webhook) -> tuple:
    return ("webhook", webhook.uuid, webhook.description or webhook.uuid)


def webhook_audit_facts(webhook: Webhook) -> dict:
    """What an audit entry may say about a webhook: never its URL beyond the host, its headers, body
    or credentials."""
    try:
        host = urlsplit(webhook.url or "").hostname or ""
    except ValueError:
        host = ""
    return {
        "description": webhook.description,
        "enabled": webhook.enabled,
        "events": list(webhook.events or []),
        "consumer": webhook.consumer.name if webhook.consumer_id else webhook.consumer_label,
        "provider": webhook.provider.name if webhook.provider_id else webhook.provider_label,
        "method": webhook.method,
        "host": host,
    }


def webhook_uuid_generate() -> str:
    """22-character URL-safe base64, like the broker's generated uuids."""
    return token_urlsafe(16)


@transaction.atomic
def webhook_save(*, webhook: Webhook, fields: dict, created_at: datetime | None = None) -> Webhook:
    """Create or update a webhook from validated fields (see api/contract.py). `created_at`: the
    creation time when not now (an import from another broker keeps it)."""
    creating = webhook.pk is None
    before = {} if creating else webhook_audit_facts(webhook)
    for name, value in fields.items():
        setattr(webhook, name, value)
    webhook.save()
    if created_at is not None:  # auto_now_add set "now" on the way in
        Webhook.objects.filter(pk=webhook.pk).update(created_at=created_at)
        webhook.created_at = created_at
    after = webhook_audit_facts(webhook)
    audit_record(
        action="webhook.created" if creating else "webhook.updated",
        target=webhook_audit_target(webhook),
        details=after if creating else changes(before, after),
    )
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    """Delete a webhook; its triggered webhooks stay (webhook reference nulled), as in the broker."""
    target = webhook_audit_target(webhook)
    webhook.delete()
    audit_record(action="webhook.deleted", target=target)
