"""An import run (its progress, checkpoint and final report) and the ledger of imported
verification results (the one resource without a natural key both brokers share)."""

from django.db import models


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"  # imported and verified without differences
        DIFFERENCES = "differences"  # imported; the verification found differences (see report)
        FAILED = "failed"
        CANCELLED = "cancelled"

    UNFINISHED = (Status.QUEUED, Status.RUNNING, Status.FAILED, Status.CANCELLED)

    source_url = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=32, default="")
    # {"phase": ..., "pacticipant": name, "page": pages done from the oldest}: where a resumed run goes on.
    checkpoint = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)  # imported so far, per resource
    totals = models.JSONField(default=dict)  # what the source holds, per resource (for progress)
    report = models.JSONField(default=dict)  # verification differences, webhooks to re-enter
    error = models.TextField(default="", blank=True)
    cancel_requested = models.BooleanField(default=False)
    started_by = models.CharField(max_length=255, default="", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["source_url", "-created_at"], name="import_run_by_source")]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.DIFFERENCES)

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ImportedVerification(models.Model):
    """A source verification result already imported: (source, pact content SHA, its number there)."""

    source_url = models.TextField()
    pact_version_sha = models.CharField(max_length=40)
    number = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_url", "pact_version_sha", "number"], name="imported_verification_unique"
            )
        ]
