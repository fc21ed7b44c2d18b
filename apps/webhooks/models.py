"""Webhooks, the webhooks an event triggered, and each attempt to deliver one.

Mirrors the broker's `webhooks`, `triggered_webhooks` and `webhook_executions` tables
(pact-broker-api.md §1.1). A triggered webhook survives the deletion of its webhook (the
reference is nulled, `webhook_uuid` kept) so its history stays readable.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.contracts.models import Pacticipant, PactPublication
from apps.verifications.models import Verification


class Events:
    CONTRACT_CONTENT_CHANGED = "contract_content_changed"
    CONTRACT_PUBLISHED = "contract_published"
    CONTRACT_REQUIRING_VERIFICATION_PUBLISHED = "contract_requiring_verification_published"
    PROVIDER_VERIFICATION_PUBLISHED = "provider_verification_published"
    PROVIDER_VERIFICATION_SUCCEEDED = "provider_verification_succeeded"
    PROVIDER_VERIFICATION_FAILED = "provider_verification_failed"
    ALL = [
        CONTRACT_CONTENT_CHANGED,
        CONTRACT_PUBLISHED,
        CONTRACT_REQUIRING_VERIFICATION_PUBLISHED,
        PROVIDER_VERIFICATION_PUBLISHED,
        PROVIDER_VERIFICATION_SUCCEEDED,
        PROVIDER_VERIFICATION_FAILED,
    ]
    VERIFICATION = {PROVIDER_VERIFICATION_PUBLISHED, PROVIDER_VERIFICATION_SUCCEEDED, PROVIDER_VERIFICATION_FAILED}
    DEFAULT = CONTRACT_CONTENT_CHANGED


class Webhook(models.Model):
    uuid = models.CharField(max_length=255, unique=True)
    description = models.TextField(null=True, blank=True)
    # Scope: each side is a named pacticipant, a label, or nothing (= any).
    consumer = models.ForeignKey(Pacticipant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Pacticipant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    consumer_label = models.CharField(max_length=255, null=True, blank=True)
    provider_label = models.CharField(max_length=255, null=True, blank=True)
    enabled = models.BooleanField(default=True)
    events = ArrayField(models.CharField(max_length=64), default=list)
    # The request template.
    method = models.CharField(max_length=16)
    url = models.TextField()
    headers = models.JSONField(default=dict)
    body = models.TextField(null=True, blank=True)
    is_json_request_body = models.BooleanField(default=False)
    username = models.TextField(null=True, blank=True)
    password = models.TextField(null=True, blank=True)
    # PactFlow's `teamUuid` (nullable): `webhook:manage:team` holders manage their teams' webhooks;
    # it also decides which secrets the webhook may use. Deleting the team leaves it team-less.
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="webhooks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # The broker's rule: a label only where no pacticipant is named on that side.
            models.CheckConstraint(
                condition=Q(consumer__isnull=True) | Q(consumer_label__isnull=True),
                name="webhook_consumer_name_xor_label",
            ),
            models.CheckConstraint(
                condition=Q(provider__isnull=True) | Q(provider_label__isnull=True),
                name="webhook_provider_name_xor_label",
            ),
        ]


class TriggeredWebhook(models.Model):
    class Status(models.TextChoices):
        NOT_RUN = "not_run"
        RETRYING = "retrying"
        SUCCESS = "success"
        FAILURE = "failure"

    class TriggerType(models.TextChoices):
        RESOURCE_CREATION = "resource_creation"
        USER = "user"

    uuid = models.CharField(max_length=64, unique=True)
    trigger_type = models.CharField(max_length=20, choices=TriggerType.choices)
    event_name = models.CharField(max_length=64)
    event_context = models.JSONField(default=dict)
    webhook = models.ForeignKey(Webhook, null=True, on_delete=models.SET_NULL, related_name="triggered")
    webhook_uuid = models.CharField(max_length=255)
    pact_publication = models.ForeignKey(PactPublication, on_delete=models.CASCADE, related_name="+")
    verification = models.ForeignKey(Verification, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    consumer = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NOT_RUN)
    attempts_made = models.IntegerField(default=0)
    # Delivery bookkeeping: when the next attempt is due, and the lease of the worker running one.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["pact_publication"], name="triggered_by_publication"),
            models.Index(fields=["verification"], name="triggered_by_verification"),
            models.Index(fields=["status", "next_attempt_at"], name="triggered_pending"),
            models.Index(fields=["consumer", "provider", "webhook_uuid", "event_name"], name="triggered_status"),
        ]


class WebhookExecution(models.Model):
    """One delivery attempt: redacted logs, outcome, timing."""

    triggered_webhook = models.ForeignKey(TriggeredWebhook, on_delete=models.CASCADE, related_name="executions")
    attempt = models.IntegerField()
    success = models.BooleanField()
    logs = models.TextField()
    request_method = models.CharField(max_length=16, blank=True, default="")
    request_url = models.TextField(blank=True, default="")  # redacted
    response_status = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    duration_ms = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["triggered_webhook", "created_at"], name="execution_by_triggered")]


class WebhookEvent(models.Model):
    """The outbox: a domain event (a pact publication, a verification result) recorded in the same
    transaction as the change that raised it, relayed to a worker after commit, and marked processed
    in the same transaction that records its triggered webhooks. A crash between the commit and the
    enqueue leaves the row pending; the sweeper (`services.webhook_events_relay`, Celery beat)
    processes it. The row lock and `processed_at` make the processing happen once."""

    class Kind(models.TextChoices):
        CONTRACT_PUBLISHED = "contract_published"
        VERIFICATION_PUBLISHED = "verification_published"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    payload = models.JSONField()
    base_url = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], condition=Q(processed_at__isnull=True), name="webhook_event_pending")
        ]
