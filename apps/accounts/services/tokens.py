"""Writes on API tokens: create, the two slot tokens, rotate, revoke.

A token that expires cannot outlive itself through another one: the request's `credential` (the
token that authenticated it) bounds the expiry of tokens it creates, and it may not regenerate a
token expiring later than itself (or never), which would hand out a fresh, longer-lived secret.

Rotation replaces the stored digest in place (same uuid, name, expiry): the old secret matches
nothing from that commit on, so it stops working at once, with no overlap window (as PactFlow's
"Regenerate"). A secret is returned once, by the call that made it, and never stored.

The organisation's token expiry policy (the system preference `apiTokenExpiry`, off by default)
bounds every token made or regenerated while it is on: no expiry, or a later one, becomes the
policy's (a regenerated token gets a fresh lifetime, so an expired one can be brought back, as
PactFlow's users do). An expired token is refused exactly as an unknown one (authentication.py).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts import preferences
from apps.accounts.audit import audit_record
from apps.accounts.models import ApiToken, User
from apps.accounts.services.delegation import DelegationRefused, act_on_check
from apps.accounts.services.errors import IdentityError
from apps.accounts.tokens import token_digest, token_display_prefix, token_generate

SLOTS = (
    (ApiToken.Slot.READ_ONLY, True),
    (ApiToken.Slot.READ_WRITE, False),
)


def _credential_expiry(credential) -> datetime | None:
    return getattr(credential, "expires_at", None) if isinstance(credential, ApiToken) else None


def _lifetime_check(credential, expires_at: datetime | None) -> None:
    limit = _credential_expiry(credential)
    if limit is not None and (expires_at is None or expires_at > limit):
        raise IdentityError(
            "expiresAt",
            f"The token you are using expires at {limit.isoformat(timespec='seconds')}; "
            "a token it creates must expire no later than that.",
        )


def _policy_bound(expires_at: datetime | None, *, now: datetime) -> datetime | None:
    """`expires_at`, no later than the organisation's token expiry policy allows."""
    policy = preferences.token_expiry_policy()
    if policy is None:
        return expires_at
    latest = policy.expiry_from(now)
    return latest if expires_at is None or expires_at > latest else expires_at


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
    credential=None,
) -> tuple[ApiToken, str]:
    """Create a token; returns it with its secret, which is never retrievable again."""
    act_on_check(actor=actor, user=user)
    name = (name or "").strip()
    if not name:
        raise IdentityError("name", "Give the token a name.")
    if expires_at is not None and expires_at <= timezone.now():
        raise IdentityError("expiresAt", "The expiry must be in the future.")
    bounded = _policy_bound(expires_at, now=timezone.now())
    limit = _credential_expiry(credential)
    if bounded != expires_at and limit is not None:
        # The policy chose the expiry: as long as it allows, and as the credential allows.
        bounded = min(bounded, limit)
    expires_at = bounded
    _lifetime_check(credential, expires_at)
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
def token_rotate(*, actor, token: ApiToken, credential=None) -> tuple[ApiToken, str]:
    """New secret for the same token; the old secret is dead from commit."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    act_on_check(actor=actor, user=token.user)
    limit = _credential_expiry(credential)
    if limit is not None and (token.expires_at is None or token.expires_at > limit):
        raise DelegationRefused(
            "token",
            f"The token you are using expires at {limit.isoformat(timespec='seconds')}; "
            "it cannot regenerate a token that expires later or never.",
        )
    if token.revoked_at is not None:
        raise IdentityError("token", "This token has been revoked.")
    secret = token_generate(read_only=token.read_only)
    token.digest = token_digest(secret)
    token.prefix = token_display_prefix(secret)
    token.rotated_at = timezone.now()
    token.last_used_at = None
    fields = ["digest", "prefix", "rotated_at", "last_used_at"]
    policy = preferences.token_expiry_policy()
    if policy is not None:
        # A fresh lifetime under the policy, never beyond the credential that asked for it.
        expiry = policy.expiry_from(token.rotated_at)
        token.expires_at = min(expiry, limit) if limit is not None else expiry
        token.expiry_alert_sent_at = None
        fields += ["expires_at", "expiry_alert_sent_at"]
    token.save(update_fields=fields)
    audit_record(actor=actor, action="token.rotated", target=token, details=_details(token))
    return token, secret


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Named tokens can be revoked; the two slot tokens can only be rotated (every principal keeps
    exactly one of each, as PactFlow's do)."""
    act_on_check(actor=actor, user=token.user)
    if token.slot:
        raise IdentityError("token", "The read-only and read/write tokens cannot be revoked; regenerate them.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token.revoked", target=token, details=_details(token))
    return token


@transaction.atomic
def tokens_revoke_all(*, actor, user: User) -> int:
    """Every secret of a principal dies: named tokens are revoked, the two slot tokens get a new
    secret nobody sees (every principal keeps one of each; the owner regenerates them if they
    come back). For deprovisioning (SCIM), where a deactivated person must not return with old
    secrets on reactivation. Returns how many tokens it killed."""
    act_on_check(actor=actor, user=user)
    now = timezone.now()
    count = 0
    for token in ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
        if token.slot:
            secret = token_generate(read_only=token.read_only)
            token.digest, token.prefix = token_digest(secret), token_display_prefix(secret)
            token.rotated_at, token.last_used_at = now, None
            token.save(update_fields=["digest", "prefix", "rotated_at", "last_used_at"])
        else:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
        count += 1
    if count:
        audit_record(actor=actor, action="token.all_revoked", target=user, details={"tokens": count})
    return count
