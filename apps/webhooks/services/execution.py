"""Running a triggered webhook: claim, render, send, record, schedule the retry.

Exactly-once per triggered webhook, with Celery's at-least-once messages (acks_late, requeue on
worker loss):
- a task first *claims* the row: one UPDATE succeeds only if the webhook is still due
  (`not_run`/`retrying`, next_attempt_at reached) and nobody holds an unexpired lease. A
  duplicate message finds the row claimed or finished and does nothing;
- the lease (claimed_until) outlasts the request timeout (WEBHOOK_LEASE_MARGIN on top); if the
  worker dies mid-attempt, the attempt is made again once the lease has expired: a pool process
  killed under a live worker has its message re-queued at once (task_reject_on_worker_lost); a
  whole worker that dies leaves its message with the broker (Redis gives it back only after its
  visibility timeout, an hour), and the sweeper (`services/deliveries.py:triggered_webhooks_requeue`, every
  WEBHOOK_REQUEUE_INTERVAL from Celery beat) re-enqueues the orphaned row. A message that arrives
  while a live lease exists is re-queued for the lease's end rather than dropped;
- the outcome is recorded with the claim token as a guard; a success is final.
So each triggered webhook has one recorded outcome per attempt, but delivery to the receiver is
at-least-once: a worker that dies after sending and before recording means the receiver gets the
request again (the next attempt's log says so). Every request carries
`X-Pact-Broker-Webhook-Delivery: <triggered webhook uuid>`, the same on every attempt and retry, so
a receiver can de-duplicate (tests/webhooks/test_worker_loss.py kills workers with SIGKILL).

Per-organisation fairness: one organisation's slow receivers must not hold every worker. The claim
also counts the organisation's live leases (its deliveries in flight) and refuses a claim beyond
WEBHOOK_ORG_CONCURRENCY; the message is then re-queued after about WEBHOOK_ORG_BUSY_DELAY seconds
and the worker takes the next message, which may be another organisation's. With the cap below the
workers' total concurrency, every other organisation always finds a free worker. (Routing each
organisation to its own queue would need a worker per queue and does not scale to thousands of
organisations; a cap on leases needs nothing but the rows we already have.) Each attempt is bounded
by one deadline (apps/core/outbound.py), so a slot is held for WEBHOOK_TIMEOUT at most.

Retries follow WEBHOOK_RETRY_SCHEDULE (the broker's 10, 60, 120, 300, 600, 1200 s: 7 attempts).
"""

import logging
import random
import uuid as uuid_lib
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.accounts.audit import audit_record
from apps.secrets.crypto import DecryptionFailed, SecretsNotConfigured
from apps.secrets.services import secret_values_resolve
from apps.webhooks import delivery, rendering
from apps.webhooks.metrics import delivery_attempt_count
from apps.webhooks.models import TriggeredWebhook, WebhookExecution
from apps.webhooks.services import deliveries

logger = logging.getLogger(__name__)

DELIVERY_HEADER = "X-Pact-Broker-Webhook-Delivery"
INTERRUPTED_NOTE = (
    f"A previous attempt of this delivery was interrupted before its outcome was recorded (its "
    f"worker stopped, or overran its lease); the receiver may have received that request too, with "
    f"the same {DELIVERY_HEADER} header."
)


def attempts_total() -> int:
    return len(settings.WEBHOOK_RETRY_SCHEDULE) + 1


def _lease_seconds() -> float:
    return settings.WEBHOOK_CONNECT_TIMEOUT + 2 * settings.WEBHOOK_TIMEOUT + settings.WEBHOOK_LEASE_MARGIN


def _organisation_busy(now) -> bool:
    """Per-organisation fairness: are WEBHOOK_ORG_CONCURRENCY deliveries of this organisation in
    flight? The live leases of this schema are its in-flight deliveries; a transaction-scoped advisory
    lock per schema makes count-then-claim atomic between workers (held until the claim commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"webhooks-in-flight:{connection.schema_name}"])
    live = TriggeredWebhook.objects.filter(claimed_until__gte=now).count()
    return live >= settings.WEBHOOK_ORG_CONCURRENCY


def _busy_delay() -> float:
    return settings.WEBHOOK_ORG_BUSY_DELAY * (1 + random.random())  # jitter: waiters do not come back in step


@transaction.atomic
def triggered_webhook_claim(*, uuid: str) -> tuple[str | None, float | None]:
    """(claim token, None) when claimed; (None, seconds to wait) when someone holds a live lease or
    the organisation has WEBHOOK_ORG_CONCURRENCY deliveries in flight; (None, None) when there is
    nothing to do (finished, unknown, or not yet due)."""
    now = timezone.now()
    if _organisation_busy(now):
        pending = TriggeredWebhook.objects.filter(
            uuid=uuid, status__in=[TriggeredWebhook.Status.NOT_RUN, TriggeredWebhook.Status.RETRYING]
        ).exists()
        return (None, _busy_delay()) if pending else (None, None)
    token = uuid_lib.uuid4().hex
    due = TriggeredWebhook.objects.filter(
        uuid=uuid,
        status__in=[TriggeredWebhook.Status.NOT_RUN, TriggeredWebhook.Status.RETRYING],
    )
    claimed = (
        due.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claim_token=token, claimed_until=now + timedelta(seconds=_lease_seconds()))
    )
    if claimed:
        return token, None
    row = due.values("claimed_until", "next_attempt_at").first()
    if row is None:
        return None, None
    if row["claimed_until"] and row["claimed_until"] >= now:
        return None, (row["claimed_until"] - now).total_seconds() + 1
    if row["next_attempt_at"] and row["next_attempt_at"] > now:
        return None, (row["next_attempt_at"] - now).total_seconds()
    return None, None


def _render(triggered: TriggeredWebhook):
    webhook = triggered.webhook
    publication = triggered.pact_publication
    # Contract events show the latest (main-branch) verification of the content, as the broker does.
    verification = triggered.verification or rendering.verification_for_contract_event(publication)
    params = rendering.template_parameters(
        publication=publication,
        verification=verification,
        context=triggered.event_context,
        base_url=triggered.event_context.get("base_url", ""),
    )
    names = rendering.secret_names(webhook.url, webhook.headers, webhook.body, webhook.username, webhook.password)
    secrets = secret_values_resolve(names, team_id=webhook.team_id)
    rendered = rendering.request_render(webhook, params, secrets)
    rendered.headers.setdefault(DELIVERY_HEADER, triggered.uuid)
    return rendered


def _attempt(triggered: TriggeredWebhook) -> delivery.Outcome:
    if triggered.webhook is None:
        return delivery.Outcome(
            success=False,
            retryable=False,
            error="Webhook has been deleted",
            logs="Webhook has been deleted; nothing was sent.\n",
        )
    try:
        rendered = _render(triggered)
    except (rendering.MissingSecret, SecretsNotConfigured, DecryptionFailed) as exc:
        # Fail closed: never send a request with a missing or empty credential.
        message = f"Webhook not sent: {exc}"
        return delivery.Outcome(success=False, retryable=True, error=message, logs=message + "\n")
    return delivery.request_send(
        rendered, context={k: v for k, v in triggered.event_context.items() if k != "consumer_version_selectors"}
    )


def _webhook_label(triggered: TriggeredWebhook) -> str:
    webhook = triggered.webhook
    return (webhook.description if webhook is not None else None) or triggered.webhook_uuid


def triggered_webhook_execute(*, uuid: str) -> str:
    """Run one due attempt of a triggered webhook. Returns what happened (for logs and tests)."""
    # A lease that ran out without an outcome: the attempt that held it may have reached the receiver.
    interrupted = TriggeredWebhook.objects.filter(uuid=uuid, claimed_until__lt=timezone.now()).exists()
    token, wait = triggered_webhook_claim(uuid=uuid)
    if token is None:
        if wait is not None:
            deliveries.triggered_webhooks_enqueue(schema_name=connection.schema_name, uuids=[uuid], countdown=wait)
            return "requeued"
        return "nothing to do"
    triggered = TriggeredWebhook.objects.select_related(
        "webhook",
        "pact_publication__consumer",
        "pact_publication__provider",
        "pact_publication__pact_version",
        "pact_publication__consumer_version",
        "verification__provider_version",
    ).get(uuid=uuid)
    attempt = triggered.attempts_made + 1
    outcome = _attempt(triggered)
    if interrupted:
        outcome.logs = delivery.log_line(INTERRUPTED_NOTE, "WARN") + "\n" + outcome.logs
        logger.warning("webhook delivery %s: the previous attempt was interrupted; attempting again", uuid)
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    retry_in = None
    if outcome.success:
        status = TriggeredWebhook.Status.SUCCESS
    elif outcome.retryable and attempt <= len(schedule):
        status = TriggeredWebhook.Status.RETRYING
        retry_in = schedule[attempt - 1]
        outcome.logs += f"Retrying webhook in {retry_in:g} seconds (attempt {attempt} of {attempts_total()}).\n"
    else:
        status = TriggeredWebhook.Status.FAILURE
        outcome.logs += f"Webhook failed after {attempt} attempt(s).\n"
    with transaction.atomic():
        WebhookExecution.objects.create(
            triggered_webhook=triggered,
            attempt=attempt,
            success=outcome.success,
            logs=outcome.logs,
            request_method=triggered.webhook.method if triggered.webhook else "",
            response_status=outcome.status,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )
        delivery_attempt_count(success=outcome.success)
        audit_record(
            action="webhook_execution.succeeded" if outcome.success else "webhook_execution.failed",
            target=("webhook", triggered.webhook_uuid, _webhook_label(triggered)),
            details={
                "triggeredWebhook": triggered.uuid,
                "event": triggered.event_name,
                "attempt": attempt,
                "status": outcome.status,
                "outcome": status,
            },
        )
        updated = TriggeredWebhook.objects.filter(uuid=uuid, claim_token=token).update(
            status=status,
            attempts_made=F("attempts_made") + 1,
            claim_token=None,
            claimed_until=None,
            next_attempt_at=timezone.now() + timedelta(seconds=retry_in) if retry_in is not None else None,
            updated_at=timezone.now(),
        )
        if updated and retry_in is not None:
            schema = connection.schema_name
            transaction.on_commit(
                lambda: deliveries.triggered_webhooks_enqueue(schema_name=schema, uuids=[uuid], countdown=retry_in)
            )
    if not updated:
        logger.warning("lost the claim on triggered webhook %s before recording attempt %d", uuid, attempt)
    return status
