"""Audit entries for SSO changes and sign-ins.

Identity (another branch) provides `apps.accounts.audit.audit_record`; until it lands here the entry
goes to the log. Details never carry secrets, assertions or tokens: only names, flags and emails.
"""
import logging

logger = logging.getLogger("sso.audit")

try:  # pragma: no cover - depends on the Identity branch being merged
    from apps.accounts.audit import audit_record as _audit_record
except ImportError:  # pragma: no cover
    _audit_record = None


def sso_audit(*, actor, action: str, details: dict) -> None:
    if _audit_record is not None:
        _audit_record(actor=actor, action=action, details=details)
        return
    logger.info("audit %s", action, extra={"actor": getattr(actor, "email", None), "details": details})
