"""Writes on webhooks themselves (the broker's webhook resource)."""

from secrets import token_urlsafe

from django.db import transaction

from apps.webhooks.models import Webhook


def webhook_uuid_generate() -> str:
    """22-character URL-safe base64, like the broker's generated uuids."""
    return token_urlsafe(16)


@transaction.atomic
def webhook_save(*, webhook: Webhook, fields: dict) -> Webhook:
    """Create or update a webhook from validated fields (see api/contract.py)."""
    for name, value in fields.items():
        setattr(webhook, name, value)
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    """Delete a webhook; its triggered webhooks stay (webhook reference nulled), as in the broker."""
    webhook.delete()
