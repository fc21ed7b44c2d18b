"""The organisation's retention policy (one row, or the defaults)."""

from django.db import transaction

from apps.accounts.audit import audit_record, changes
from apps.retention.models import RetentionPolicy
from apps.retention.selectors import selectors_validate


def retention_policy_get() -> RetentionPolicy:
    return RetentionPolicy.objects.order_by("pk").first() or RetentionPolicy()


def retention_policy_set(*, keep_selectors: list, dry_run: bool) -> RetentionPolicy:
    """Raises SelectorError for selectors that do not parse (nothing is saved)."""
    selectors_validate(keep_selectors)
    with transaction.atomic():
        policy = RetentionPolicy.objects.select_for_update().order_by("pk").first() or RetentionPolicy()
        before = {"keep_selectors": policy.keep_selectors, "dry_run": policy.dry_run}
        policy.keep_selectors, policy.dry_run = keep_selectors, dry_run
        policy.save()
        audit_record(
            action="retention.policy_updated",
            target=("retention_policy", "", "retention policy"),
            details=changes(before, {"keep_selectors": keep_selectors, "dry_run": dry_run}),
        )
    return policy
