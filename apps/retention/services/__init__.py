"""Writes of the retention app: the clean-up and the organisation's policy."""

from apps.retention.services.clean import organisation_clean
from apps.retention.services.policy import retention_policy_get, retention_policy_set

__all__ = ["organisation_clean", "retention_policy_get", "retention_policy_set"]
