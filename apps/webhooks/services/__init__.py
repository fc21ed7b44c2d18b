"""Writes of the webhooks app, by concept:

- `webhooks.py`: the webhook resource (`webhook_save`, `webhook_delete`, `webhook_uuid_generate`);
- `event_triggers.py`: the broker's webhook events of a publication or a verification (which events, for whom);
- `trigger.py`: `webhooks_trigger`, one event into recorded deliveries (triggered webhooks);
- `deliveries.py`: queueing deliveries, and the sweeper that queues again those nobody will run.

Running a delivery is `apps/webhooks/services/execution.py`; the outbox of events is `apps/webhooks/services/outbox.py`.
"""

from apps.webhooks.services.deliveries import DELIVER_TASK, triggered_webhooks_enqueue, triggered_webhooks_requeue
from apps.webhooks.services.trigger import webhooks_matching, webhooks_trigger
from apps.webhooks.services.webhooks import webhook_delete, webhook_save, webhook_uuid_generate

__all__ = [
    "DELIVER_TASK",
    "triggered_webhooks_enqueue",
    "triggered_webhooks_requeue",
    "webhooks_matching",
    "webhooks_trigger",
    "webhook_delete",
    "webhook_save",
    "webhook_uuid_generate",
]
