"""Queueing deliveries (triggered webhooks), and the sweeper that queues again those nobody will run.

Callers reach `triggered_webhooks_enqueue` through this module (`deliveries.triggered_webhooks_enqueue`),
so a test that patches it here patches every caller.
"""

import logging

from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from apps.webhooks.models import TriggeredWebhook

logger = logging.getLogger(__name__)

# The delivery task (apps/webhooks/tasks.py:webhook_deliver) is named, not imported: the tasks module
# sits on top of this one (it runs the writes here), so naming the task keeps the dependency one way.
# The signature resolves to the registered task, so eager mode and a patched `apply_async` still apply.
DELIVER_TASK = "webhooks.deliver"


def triggered_webhooks_enqueue(*, schema_name: str, uuids: list[str], countdown: float = 0) -> None:
    """Queue one delivery task per triggered webhook. A failed enqueue is logged, not raised: the
    rows are committed and `triggered_webhooks_requeue` will pick them up."""
    for uuid in uuids:
        try:
            current_app.signature(DELIVER_TASK, args=[schema_name, uuid]).apply_async(countdown=countdown)
        except Exception:  # broker down: the sweeper re-enqueues
            logger.exception("could not enqueue webhook delivery %s", uuid)


def triggered_webhooks_requeue(*, older_than_seconds: float | None = None) -> int:
    """Re-enqueue the deliveries of this organisation that nobody will run otherwise:

    - due for longer than `older_than_seconds` (WEBHOOK_REQUEUE_AFTER) and not claimed: the enqueue
      after commit failed, or the message was lost;
    - claimed, but the lease ran out without an outcome: the worker died mid-attempt (its message
      would only come back after the broker's visibility timeout, an hour on Redis).

    Safe to run often: the delivery task claims a row before sending, so a duplicate message does
    nothing. Celery beat runs it for every organisation (`webhooks.requeue_all`, config/celery.py).
    """
    if older_than_seconds is None:
        older_than_seconds = settings.WEBHOOK_REQUEUE_AFTER
    now = timezone.now()
    cutoff = now - timezone.timedelta(seconds=older_than_seconds)
    lost = Q(claimed_until__isnull=True, next_attempt_at__lte=cutoff)
    orphaned = Q(claimed_until__lt=now)
    due = TriggeredWebhook.objects.filter(
        status__in=[TriggeredWebhook.Status.NOT_RUN, TriggeredWebhook.Status.RETRYING],
    ).filter(lost | orphaned)
    uuids = list(due.order_by("next_attempt_at").values_list("uuid", flat=True)[:1000])
    if uuids:
        logger.info("re-enqueueing %d webhook delivery(ies) whose message was lost or whose worker died", len(uuids))
    triggered_webhooks_enqueue(schema_name=connection.schema_name, uuids=uuids)
    return len(uuids)
