"""Audit entries for SSO changes and sign-ins.

Details never carry secrets, assertions or tokens: only names, flags and emails.
"""

from apps.accounts.audit import audit_record


def sso_audit(*, actor, action: str, details: dict) -> None:
    audit_record(actor=actor, action=action, details=details)
