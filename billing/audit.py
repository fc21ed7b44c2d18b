"""Audit entries for billing changes, in the organisation's own audit log."""

from django_tenants.utils import schema_context

from apps.accounts.audit import audit_record


def billing_audit(*, tenant, actor, action: str, details: dict | None = None) -> None:
    """Record `action` (e.g. "billing.plan_changed") in the organisation's audit log. No secrets."""
    with schema_context(tenant.schema_name):
        audit_record(actor=actor, action=action, target=("organisation", tenant.pk, tenant.slug), details=details or {})
