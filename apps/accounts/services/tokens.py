"""Writes on API tokens: create, the two slot tokens, rotate, revoke.

Rotation replaces the stored digest in place (same uuid, name, expiry): the old secret matches
nothing from that commit on, so it stops working at once, with no overlap window (as PactFlow's
"Regenerate"). A secret is returned once, by the call that made it, and never stored.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.audit import audit_record
from apps.accounts.models import ApiToken, User
from apps.accounts.services.errors import IdentityError
from apps.accounts.tokens import token_digest, token_display_prefix, token_generate

SLOTS = (
    (ApiToken.Slot.READ_ONLY, True),
    (ApiToken.Slot.READ_WRITE, False),
)


def _details(token: ApiToken) -> dict:
    return {
        "token": str(token.uuid),
        "name": token.name,
        "readOnly": token.read_only,
        "prefix": token.prefix,
        "owner": token.user.email,
    }


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    read_only: bool,
    expires_at: datetime | None = None,
    actor=None,
    slot: str = ApiToken.Slot.NAMED,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is never retrievable again."""
    name = (name or "").strip()
    if not name:
        raise IdentityError("name", "Give the token a name.")
    if expires_at is not None and expires_at <= timezone.now():
        raise IdentityError("expiresAt", "The expiry must be in the future.")
    secret = token_generate(read_only=read_only)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        slot=slot,
        read_only=read_only,
        prefix=token_display_prefix(secret),
        digest=token_digest(secret),
        expires_at=expires_at,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(actor=actor, action="token.created", target=token, details=_details(token))
    return token, secret


@transaction.atomic
def tokens_create_slots(*, user: User, actor=None) -> list[ApiToken]:
    """The read-only and read-write token every principal has. Their secrets are discarded:
    the owner (or an admin) regenerates a slot token to see its value."""
    made = []
    for slot, read_only in SLOTS:
        if not ApiToken.objects.filter(user=user, slot=slot).exists():
            token, _ = token_create(user=user, name=slot.label, read_only=read_only, slot=slot, actor=actor)
            made.append(token)
    return made


@transaction.atomic
def token_rotate(*, actor, token: ApiToken) -> tuple[ApiToken, str]:
    """New secret for the same token; the old secret is dead from commit."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise IdentityError("token", "This token has been revoked.")
    secret = token_generate(read_only=token.read_only)
    token.digest = token_digest(secret)
    token.prefix = token_display_prefix(secret)
    token.rotated_at = timezone.now()
    token.last_used_at = None
    token.save(update_fields=["digest", "prefix", "rotated_at", "last_used_at"])
    audit_record(actor=actor, action="token.rotated", target=token, details=_details(token))
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Named tokens can be revoked; the two slot tokens can only be rotated (every principal keeps
    exactly one of each, as PactFlow's do)."""
    if token.slot:
        raise IdentityError(
            "token", "The read-only and read/write tokens cannot be revoked; regenerate them."
        )
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token.revoked", target=token, details=_details(token))
    return token
