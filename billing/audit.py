"""Audit entries for billing changes, in the organisation's own audit log.

The audit log belongs to apps.accounts (Identity work). Until that lands on this branch, a local
shim writes the same facts to the "audit" logger, so every billing write already records one.
"""
import logging

from django_tenants.utils import schema_context

try:  # pragma: no cover - depends on which branch is merged first
    from apps.accounts.audit import audit_record as _audit_record
except ImportError:  # shim until apps.accounts.audit exists here
    _audit_record = None

logger = logging.getLogger("audit")


def billing_audit(*, tenant, actor, action: str, details: dict | None = None) -> None:
    """Record `action` (e.g. "billing.plan_changed") in the organisation's audit log. No secrets."""
    details = details or {}
    if _audit_record is not None:
        with schema_context(tenant.schema_name):
            _audit_record(actor=actor, action=action, target=("organisation", tenant.pk, tenant.slug),
                          details=details)
        return
    logger.info(
        "audit %s", action,
        extra={"organisation": tenant.slug, "actor": getattr(actor, "email", None) or str(actor or "stripe"),
               "details": details},
    )
