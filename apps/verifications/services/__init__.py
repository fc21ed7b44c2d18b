"""Writes on verification results. Import from here (`from apps.verifications import services`)."""

from apps.verifications.services.verifications import verification_delete, verification_record

__all__ = ["verification_delete", "verification_record"]
