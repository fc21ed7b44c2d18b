"""An organisation's retention policy and the record of each clean-up (apps/retention/services/)."""

from django.db import models


class RetentionPolicy(models.Model):
    """At most one row: what the organisation's administrators chose. No row: the defaults."""

    # [{"branch": true, "latest": true}, {"max_age": 30}, ...]; empty: the defaults (selectors.py).
    keep_selectors = models.JSONField(default=list, blank=True)
    # Report what would go, delete nothing (the periodic clean-up too).
    dry_run = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)


class RetentionRun(models.Model):
    """One clean-up pass: when, whether it deleted anything, and the report (rows per table)."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField()
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]
