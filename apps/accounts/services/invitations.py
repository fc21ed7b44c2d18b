"""Invitations: an admin invites an email; the invitee follows a signed, expiring link and sets a
password (or signs in with SSO, which calls `invitation_accept` without a password).

An invited person is an active user with no usable password and a non-empty `invitation_key`:
they hold a seat from the invitation on, so accepting can never exceed the seats. The link signs
(schema, user uuid, invitation_key): it is valid only in its own organisation, dies after
INVITATION_MAX_AGE, and dies when re-sent or accepted (the key changes or empties).
"""

import logging
import secrets

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.audit import audit_record
from apps.accounts.models import User
from apps.accounts.services.delegation import act_on_check
from apps.accounts.services.errors import IdentityError, InvitationInvalid
from apps.accounts.services.users import default_roles, seats_check, user_create, user_password_set

logger = logging.getLogger(__name__)

INVITATION_SALT = "accounts.invitation"


def invitation_token(*, user: User) -> str:
    return signing.dumps(
        {"s": connection.schema_name, "u": str(user.uuid), "k": user.invitation_key}, salt=INVITATION_SALT
    )


def invitation_user(*, token: str) -> User:
    """The invited user a link is for, or InvitationInvalid saying why not."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvitationInvalid("This invitation has expired. Ask an administrator to send a new one.") from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid("This invitation link is not valid.") from exc
    if data.get("s") != connection.schema_name or not data.get("k"):
        raise InvitationInvalid("This invitation link is not valid.")
    user = User.objects.filter(uuid=data.get("u"), invitation_key=data["k"], kind=User.Kind.HUMAN).first()
    if user is None:
        raise InvitationInvalid("This invitation has already been used or was replaced by a newer one.")
    if not user.is_active:
        raise InvitationInvalid("This invitation was withdrawn.")
    return user


def _send(*, user: User, url: str, inviter_name: str, organisation_name: str) -> None:
    body = render_to_string(
        "accounts/email/invitation.txt",
        {
            "user": user,
            "url": url,
            "inviter": inviter_name,
            "organisation": organisation_name,
            "days": settings.INVITATION_MAX_AGE // 86400,
        },
    )
    try:
        send_mail(
            subject=f"You are invited to {organisation_name} on the contract broker",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except OSError:
        # The invitation stands; an admin can re-send it. The request must not fail after commit.
        logger.exception("invitation email could not be sent")


@transaction.atomic
def user_invite(
    *, actor, email: str, name: str = "", base_url: str, roles=None, seat_type: str = User.SeatType.EDITOR
) -> tuple[User, str]:
    """Invite (or re-invite) a person by email; returns the user and the link that was emailed.

    Re-inviting a pending invitee sends a new link and makes the old one useless. Inviting someone
    who is already a member, or deactivated, is refused with what to do instead.
    """
    email = (email or "").strip().lower()
    if not email or "@" not in email:
        raise IdentityError("email", "Enter the email address to invite.")
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.invitation_pending:
        if not user.is_active:
            raise IdentityError("email", f"{email} was deactivated; reactivate them instead.")
        raise IdentityError("email", f"{email} is already a member of this organisation.")
    if user is not None and not user.is_active:
        raise IdentityError("email", f"The invitation of {email} was withdrawn; reactivate them instead.")
    if user is None:
        if roles is None:
            roles = default_roles(kind=User.Kind.HUMAN, seat_type=seat_type)
        seats_check(seat_type=seat_type, roles=roles)
        user = user_create(
            email=email, name=(name or "").strip(), password=None, roles=roles, actor=actor, seat_type=seat_type
        )
        action = "user.invited"
    else:
        act_on_check(actor=actor, user=user)
        action = "user.reinvited"
    user.invitation_key = secrets.token_urlsafe(24)
    user.invited_at = timezone.now()
    user.save(update_fields=["invitation_key", "invited_at", "updated_at"])
    url = f"{base_url.rstrip('/')}/invitations/{invitation_token(user=user)}"
    audit_record(actor=actor, action=action, target=user)
    tenant = getattr(connection, "tenant", None)
    organisation_name = getattr(tenant, "name", None) or connection.schema_name
    inviter = getattr(actor, "name", "") or getattr(actor, "email", "") or "An administrator"
    transaction.on_commit(lambda: _send(user=user, url=url, inviter_name=inviter, organisation_name=organisation_name))
    return user, url


@transaction.atomic
def invitation_accept(*, token: str, password: str | None, name: str | None = None) -> User:
    """Turn an invitation into a member. With a password (rules enforced); without one when the
    invitee proved their email through SSO."""
    user = invitation_user(token=token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if name is not None and name.strip():
        user.name = name.strip()
    if password is not None:
        user_password_set(actor=user, user=user, password=password, reason="set")
    user.invitation_key = ""
    user.email_confirmed = True
    user.save(update_fields=["name", "invitation_key", "email_confirmed", "updated_at"])
    audit_record(actor=user, action="user.invitation_accepted", target=user)
    return user
