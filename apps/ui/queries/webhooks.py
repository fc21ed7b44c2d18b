"""Webhooks with their latest delivery, and a webhook's recent deliveries with their (redacted)
execution logs (2 statements each)."""

from django.db.models import Prefetch

from apps.webhooks.models import TriggeredWebhook, Webhook, WebhookExecution
from apps.webhooks.queries import webhooks_all

EXECUTIONS_LIMIT = 20


def webhooks_overview() -> list[tuple[Webhook, TriggeredWebhook | None]]:
    webhooks = list(webhooks_all())
    latest = {
        t.webhook_uuid: t
        for t in TriggeredWebhook.objects.filter(webhook_uuid__in=[w.uuid for w in webhooks])
        .order_by("webhook_uuid", "-created_at", "-id")
        .distinct("webhook_uuid")
    }
    return [(w, latest.get(w.uuid)) for w in webhooks]


def webhook_deliveries(webhook_uuid: str) -> list[TriggeredWebhook]:
    """The newest triggered webhooks with their attempts (logs are stored already redacted)."""
    executions = Prefetch("executions", queryset=WebhookExecution.objects.order_by("created_at", "id"))
    return list(
        TriggeredWebhook.objects.filter(webhook_uuid=webhook_uuid)
        .select_related("consumer", "provider")
        .prefetch_related(executions)
        .order_by("-created_at", "-id")[:EXECUTIONS_LIMIT]
    )
