"""Writes on people: create, add (seat-checked), change, deactivate, reactivate, remove, roles, password."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts import permissions, queries
from apps.accounts.audit import audit_record
from apps.accounts.models import Role, User
from apps.accounts.services.delegation import act_on_check, roles_grant_check
from apps.accounts.services.erasure import personal_data_erase
from apps.accounts.services.errors import IdentityError, LimitReached
from apps.accounts.services.tokens import tokens_create_slots


def limits_lock() -> None:
    """Serialise seat and system-account checks within one organisation until commit, so two
    concurrent invitations cannot both take the last seat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:seats"])


def seats_check(*, field: str = "email") -> None:
    """Refuse if one more active person would exceed the organisation's purchased seats."""
    limits_lock()
    usage = queries.usage()
    if usage.seats_used + 1 > usage.seats:
        raise LimitReached(
            field,
            f"All {usage.seats} seats of your {usage.plan_name} plan are in use "
            f"({usage.seats_used} active people, pending invitations included). "
            "Deactivate someone or buy more seats.",
        )


def system_accounts_check(*, field: str = "name") -> None:
    limits_lock()
    usage = queries.usage()
    if usage.system_accounts_used + 1 > usage.system_accounts:
        raise LimitReached(
            field,
            f"Your {usage.plan_name} plan allows {usage.system_accounts} active system accounts "
            f"and {usage.system_accounts_used} are in use. Deactivate one or change plan.",
        )


def builtin_role(key: str) -> Role:
    from apps.accounts.services.roles import roles_reset

    role = Role.objects.filter(key=key).first()
    if role is None:  # a schema made before the seed (or someone deleted rows by hand)
        roles_reset(actor=None)
        role = Role.objects.get(key=key)
    return role


def email_taken_check(email: str, *, exclude: User | None = None) -> None:
    users = User.objects.filter(email__iexact=email)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    if users.exists():
        raise IdentityError("email", f"{email} is already a member of this organisation.")


@transaction.atomic
def user_create(
    *,
    email: str,
    name: str,
    password: str | None,
    is_admin: bool = False,
    email_confirmed: bool = False,
    kind: str = User.Kind.HUMAN,
    roles=None,
    actor=None,
) -> User:
    """Create a principal with its roles and its two slot tokens. No seat check: this is the
    provisioning primitive (sign-up, self-hosted setup, tests); people added by admins go through
    `user_add` / `user_invite`. An actor may only give roles within their own rights."""
    if roles is None:
        default = permissions.CI if kind == User.Kind.SYSTEM else permissions.USER
        roles = [builtin_role(permissions.ADMINISTRATOR if is_admin else default)]
    roles_grant_check(actor=actor, roles=roles)
    user = User.objects.create_user(
        email=email,
        password=password,
        name=name,
        kind=kind,
        email_confirmed=email_confirmed,
    )
    user.roles.set(roles)
    tokens_create_slots(user=user, actor=actor)
    audit_record(
        actor=actor,
        action="user.created",
        target=user,
        details={"kind": kind, "roles": sorted(role.name for role in roles)},
    )
    return user


@transaction.atomic
def user_add(*, actor, email: str, name: str, roles=None) -> User:
    """Pre-create a person without inviting them (for SSO sign-in), taking a seat."""
    email = email.strip().lower()
    email_taken_check(email)
    seats_check()
    return user_create(email=email, name=name.strip(), password=None, roles=roles, actor=actor)


@transaction.atomic
def user_confirm_email(*, user: User) -> User:
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed", "updated_at"])
        audit_record(actor=user, action="user.email_confirmed", target=user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, name: str | None = None, email: str | None = None) -> User:
    act_on_check(actor=actor, user=user)
    changes = {}
    if name is not None and name.strip() != user.name:
        changes["name"] = [user.name, name.strip()]
        user.name = name.strip()
    if email is not None and email.strip().lower() != user.email:
        new_email = email.strip().lower()
        email_taken_check(new_email, exclude=user)
        changes["email"] = [user.email, new_email]
        user.email = new_email
    if changes:
        user.save()
        audit_record(actor=actor, action="user.updated", target=user, details=changes)
    return user


def _is_active_admin(user: User) -> bool:
    return user.is_active and user.roles.filter(key=permissions.ADMINISTRATOR).exists()


def last_admin_check(user: User, *, field: str = "user") -> None:
    """An organisation always keeps one active administrator, so it can never lock itself out."""
    if not _is_active_admin(user):
        return
    others = User.objects.filter(is_active=True, roles__key=permissions.ADMINISTRATOR).exclude(pk=user.pk)
    if not others.exists():
        raise IdentityError(
            field,
            "This is the organisation's last active administrator; make someone else an administrator first.",
        )


def _not_self(actor, user: User, what: str) -> None:
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise IdentityError("user", f"You cannot {what} yourself.")


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """Frees the seat; the user's sessions and tokens stop working on their next request."""
    if not user.is_active:
        return user
    _not_self(actor, user, "deactivate")
    act_on_check(actor=actor, user=user)
    last_admin_check(user)
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    audit_record(actor=actor, action="user.deactivated", target=user, details={"kind": user.kind})
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    if user.is_active:
        return user
    act_on_check(actor=actor, user=user)
    if user.is_system:
        system_accounts_check(field="active")
    else:
        seats_check(field="active")
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    audit_record(actor=actor, action="user.reactivated", target=user, details={"kind": user.kind})
    return user


@transaction.atomic
def user_remove(*, actor, user: User) -> None:
    _not_self(actor, user, "remove")
    act_on_check(actor=actor, user=user)
    last_admin_check(user)
    # The person's data goes; the audit trail keeps a pseudonym (services/erasure.py).
    pseudonym = personal_data_erase(user=user)
    audit_record(actor=actor, action="user.removed", target=("user", user.uuid, pseudonym), details={"kind": user.kind})
    user.delete()


@transaction.atomic
def user_roles_set(*, actor, user: User, roles) -> User:
    roles = list(roles)
    act_on_check(actor=actor, user=user, field="roles")
    roles_grant_check(actor=actor, roles=roles)
    before = sorted(user.roles.values_list("name", flat=True))
    if not any(role.key == permissions.ADMINISTRATOR for role in roles):
        last_admin_check(user, field="roles")
    user.roles.set(roles)
    permissions.permissions_forget(user)
    after = sorted(role.name for role in roles)
    if before != after:
        audit_record(actor=actor, action="user.roles_changed", target=user, details={"before": before, "after": after})
    return user


@transaction.atomic
def user_password_set(*, actor, user: User, password: str, reason: str = "changed") -> User:
    """Set a new password under the password rules. Every other session of the user ends with it
    (Django ties sessions to the password hash); the caller keeps its own with
    `update_session_auth_hash`."""
    if user.is_system:
        raise IdentityError("password", "System accounts have no password.")
    act_on_check(actor=actor, user=user)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise IdentityError("password", " ".join(exc.messages)) from exc
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    audit_record(actor=actor, action=f"user.password_{reason}", target=user)
    return user
