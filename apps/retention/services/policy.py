"""The organisation's retention policy (one row, or the defaults)."""

from django.db import transaction

from apps.retention.models import RetentionPolicy
from apps.retention.selectors import selectors_validate


def retention_policy_get() -> RetentionPolicy:
    return RetentionPolicy.objects.order_by("pk").first() or RetentionPolicy()


def retention_policy_set(*, keep_selectors: list, dry_run: bool) -> RetentionPolicy:
    """Raises SelectorError for selectors that do not parse (nothing is saved)."""
    selectors_validate(keep_selectors)
    with transaction.atomic():
        policy = RetentionPolicy.objects.select_for_update().order_by("pk").first() or RetentionPolicy()
        policy.keep_selectors, policy.dry_run = keep_selectors, dry_run
        policy.save()
    return policy
