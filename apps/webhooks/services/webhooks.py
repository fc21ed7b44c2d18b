"""Writes on webhooks themselves (the broker's webhook resource)."""

from datetime import datetime
from secrets import token_urlsafe

from django.db import transaction

from apps.webhooks.models import Webhook


def webhook_uuid_generate() -> str:
    """22-character URL-safe base64, like the broker's generated uuids."""
    return token_urlsafe(16)


@transaction.atomic
def webhook_save(*, webhook: Webhook, fields: dict, created_at: datetime | None = None) -> Webhook:
    """Create or update a webhook from validated fields (see api/contract.py). `created_at`: the
    creation time when not now (an import from another broker keeps it)."""
    for name, value in fields.items():
        setattr(webhook, name, value)
    webhook.save()
    if created_at is not None:  # auto_now_add set "now" on the way in
        Webhook.objects.filter(pk=webhook.pk).update(created_at=created_at)
        webhook.created_at = created_at
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    """Delete a webhook; its triggered webhooks stay (webhook reference nulled), as in the broker."""
    webhook.delete()
