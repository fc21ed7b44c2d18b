"""Celery tasks of the webhooks app. Each runs inside the tenant named by its first argument."""
from config.celery import tenant_task


@tenant_task(name="webhooks.deliver", acks_late=True, reject_on_worker_lost=True)
def webhook_deliver(schema_name: str, triggered_webhook_uuid: str) -> str:
    """One due attempt of a triggered webhook (claimed first, so duplicates are harmless)."""
    from apps.webhooks.execution import triggered_webhook_execute

    return triggered_webhook_execute(uuid=triggered_webhook_uuid)


@tenant_task(name="webhooks.requeue")
def webhooks_requeue(schema_name: str) -> int:
    """Sweeper for Celery beat/cron: re-enqueue due deliveries whose message was lost."""
    from apps.webhooks.services import triggered_webhooks_requeue

    return triggered_webhooks_requeue()
