"""Erasing a person: their personal data goes, the audit trail stays, under a pseudonym.

When a person is removed from an organisation (`user_remove`), the audit log keeps what they did and
what was done to them, but no longer says who they were: their email address and name are replaced
by a pseudonym (the same one in every entry, so an auditor can still follow one person's actions),
and the IP addresses and browsers of their requests are blanked. The pseudonym is an HMAC of the
user's uuid under SECRET_KEY: stable, and not reversible by anyone reading the log. Their tokens,
team memberships, roles and social-login links go with the user row (foreign keys).
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db.models import Q

from apps.accounts.models import AuditEvent, User


def pseudonym_for(user: User) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), str(user.uuid).encode(), hashlib.sha256).hexdigest()
    return f"person-{digest[:12]}"


def _scrub(value, replacements: dict[str, str]):
    """`value` (JSON) with every string equal to, or containing, a personal value replaced."""
    if isinstance(value, dict):
        return {key: _scrub(item, replacements) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, replacements) for item in value]
    if isinstance(value, str):
        for personal, pseudonym in replacements.items():
            if value == personal or (len(personal) >= 6 and personal in value):
                value = value.replace(personal, pseudonym)
        return value
    return value


def _former_values(user: User) -> set[str]:
    """The person's email and name, now and as entries about them recorded earlier ones (renames)."""
    values = {user.email, user.name.strip()}
    about = AuditEvent.objects.filter(target_type="user", target_id__in=[str(user.pk), str(user.uuid)])
    for details in about.values_list("details", flat=True):
        for key in ("email", "name"):
            found = (details or {}).get(key)
            for value in found if isinstance(found, list) else [found]:
                if isinstance(value, str):
                    values.add(value.strip())
    return values


def personal_data_erase(*, user: User) -> str:
    """Pseudonymise the audit log's mentions of `user` (call before deleting the row); returns the pseudonym."""
    pseudonym = pseudonym_for(user)
    replacements = {value: pseudonym for value in _former_values(user) if value.strip()}
    AuditEvent.objects.filter(Q(actor=user) | Q(actor_email__iexact=user.email)).update(
        actor_email=pseudonym,
        ip=None,
        user_agent="",
        token_name="",  # a token's name may name its owner
    )
    AuditEvent.objects.filter(target_type="user", target_id__in=[str(user.pk), str(user.uuid)]).update(
        target_label=pseudonym
    )
    AuditEvent.objects.filter(target_label__iexact=user.email).update(target_label=pseudonym)
    for personal in replacements:
        needle = json.dumps(personal)[1:-1]  # as it appears inside the stored JSON text
        for event in AuditEvent.objects.filter(details__icontains=needle).only("pk", "details"):
            event.details = _scrub(event.details, replacements)
            event.save(update_fields=["details"])
    return pseudonym
