"""Writes on people: create, add (seat-checked), change, deactivate, reactivate, remove, roles, password."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts import permissions, preferences, queries
from apps.accounts.audit import audit_record
from apps.accounts.models import Role, User
from apps.accounts.services.delegation import DelegationRefused, act_on_check, roles_grant_check
from apps.accounts.services.erasure import personal_data_erase
from apps.accounts.services.errors import IdentityError, LimitReached
from apps.accounts.services.teams import team_default_join
from apps.accounts.services.tokens import tokens_create_slots


def limits_lock() -> None:
    """Serialise seat and system-account checks within one organisation until commit, so two
    concurrent invitations cannot both take the last seat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:seats"])


def takes_no_seat(roles) -> bool:
    """Someone whose only role is Organization Administrator takes no seat (PactFlow's rule)."""
    keys = {role.key for role in roles}
    return keys == {permissions.ORGANIZATION_ADMINISTRATOR}


def seats_check(*, field: str = "email", seat_type: str = User.SeatType.EDITOR, roles=None) -> None:
    """Refuse if one more active person of this seat type would exceed the organisation's seats:
    the bought Editor seats, or the plan's Viewer seats."""
    if roles is not None and takes_no_seat(roles):
        return
    limits_lock()
    usage = queries.usage()
    if seat_type == User.SeatType.VIEWER:
        if usage.viewer_seats is not None and usage.viewer_seats_used + 1 > usage.viewer_seats:
            raise LimitReached(
                field,
                f"All {usage.viewer_seats} Viewer seats of your {usage.plan_name} plan are in use "
                f"({usage.viewer_seats_used} active viewers, pending invitations included). "
                "Deactivate someone, give an Editor seat instead, or change plan.",
            )
        return
    if usage.seats_used + 1 > usage.seats:
        raise LimitReached(
            field,
            f"All {usage.seats} seats of your {usage.plan_name} plan are in use "
            f"({usage.seats_used} active people, pending invitations included). "
            "Deactivate someone or buy more seats.",
        )


def seat_type_parse(value, *, field: str = "seatType") -> str:
    """`editor` or `viewer` (any case, PactFlow's "Editor"/"Viewer"); None or "" is Editor."""
    if value in (None, ""):
        return User.SeatType.EDITOR
    text = str(value).strip().lower()
    if text not in User.SeatType.values:
        raise IdentityError(field, "The seat type is Editor or Viewer.")
    return text


# What a Viewer seat may hold: reading, and one's own tokens.
_VIEWER_SEAT_RESOURCES = frozenset({"token", "read_token"})


def seat_type_roles_check(*, seat_type: str, roles, field: str = "roles") -> None:
    """A Viewer seat holds read-only roles (PactFlow's Viewer and Read-Only); anything that writes
    needs an Editor seat, or the Viewer seats would be Editor seats at no cost."""
    if seat_type != User.SeatType.VIEWER:
        return
    for role in roles:
        grants = permissions.role_grants(role)
        writes = [
            scope
            for scope in grants
            if scope == permissions.WILDCARD
            or (scope.split(":")[1:2] != ["read"] and scope.split(":")[0] not in _VIEWER_SEAT_RESOURCES)
        ]
        if writes:
            raise IdentityError(
                field, f"{role.name} changes things and needs an Editor seat; a Viewer seat holds read-only roles."
            )


def default_roles(*, kind: str, seat_type: str, is_admin: bool = False) -> list[Role]:
    """The roles a new principal gets when none are given: Administrator, CI/CD for system
    accounts; for people the organisation's default role (the system preference `defaultRoleUuid`)
    when it fits their seat, else PactFlow's default per seat type: Viewer for a Viewer seat, User
    otherwise."""
    if is_admin:
        return [builtin_role(permissions.ADMINISTRATOR)]
    if kind == User.Kind.SYSTEM:
        return [builtin_role(permissions.CI)]
    chosen = _preferred_default_role()
    if chosen is not None:
        try:
            seat_type_roles_check(seat_type=seat_type, roles=[chosen])
            return [chosen]
        except IdentityError:
            pass
    return [builtin_role(permissions.VIEWER if seat_type == User.SeatType.VIEWER else permissions.USER)]


def _preferred_default_role() -> Role | None:
    uuid = preferences.system_preferences()[preferences.DEFAULT_ROLE]
    role = Role.objects.filter(uuid=uuid).first() if uuid else None
    if role is None or role.key == permissions.ADMINISTRATOR:  # never, even if stored by hand
        return None
    builtin = permissions.BUILTIN_ROLES.get(role.key or "")
    return None if builtin is not None and not builtin.assignable else role


def _is_default_grant(*, actor, kind: str, seat_type: str, roles) -> bool:
    """Whether `roles` are exactly the organisation's default for a new person, given by someone
    who may invite: PactFlow lets an Organization Administrator (or the SCIM account) invite people
    with the default role although they hold none of its contract-data permissions. The default role
    itself was chosen by someone holding all it grants (services/preferences.py) and is never
    Administrator; every other grant keeps the ceiling (services/delegation.py)."""
    if kind != User.Kind.HUMAN or actor is None:
        return False
    if not permissions.user_has_permission(actor, permissions.Perm.USER_INVITE):
        return False
    default = default_roles(kind=kind, seat_type=seat_type)
    return {role.pk for role in roles} == {role.pk for role in default}


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
    seat_type: str = User.SeatType.EDITOR,
) -> User:
    """Create a principal with its roles and its two slot tokens. No seat check: this is the
    provisioning primitive (sign-up, self-hosted setup, tests); people added by admins go through
    `user_add` / `user_invite`. An actor may only give roles within their own rights."""
    if roles is None:
        roles = default_roles(kind=kind, seat_type=seat_type, is_admin=is_admin)
    roles = list(roles)
    default_grant = _is_default_grant(actor=actor, kind=kind, seat_type=seat_type, roles=roles)
    if not default_grant:
        roles_grant_check(actor=actor, roles=roles)
    seat_type_roles_check(seat_type=seat_type, roles=roles)
    user = User.objects.create_user(
        email=email,
        password=password,
        name=name,
        kind=kind,
        email_confirmed=email_confirmed,
        seat_type=seat_type,
    )
    user.roles.set(roles)
    team_default_join(users=[user])
    # The new person's own slot tokens are part of creating them: with the default role lifted
    # above the actor's ceiling, the system makes them (the audit entry still names the request's
    # principal), or the "act on" rule would refuse the actor the person it may create.
    tokens_create_slots(user=user, actor=None if default_grant else actor)
    audit_record(
        actor=actor,
        action="user.created",
        target=user,
        details={"kind": kind, "roles": sorted(role.name for role in roles), "seatType": seat_type},
    )
    return user


@transaction.atomic
def user_add(*, actor, email: str, name: str, roles=None, seat_type: str = User.SeatType.EDITOR) -> User:
    """Pre-create a person without inviting them (for SSO sign-in), taking a seat of `seat_type`."""
    email = email.strip().lower()
    email_taken_check(email)
    if roles is None:
        roles = default_roles(kind=User.Kind.HUMAN, seat_type=seat_type)
    seats_check(seat_type=seat_type, roles=roles)
    return user_create(email=email, name=name.strip(), password=None, roles=roles, actor=actor, seat_type=seat_type)


@transaction.atomic
def user_seat_type_set(*, actor, user: User, seat_type: str, roles=None) -> User:
    """Move a person to another seat type (a free seat of it needed while they are active), with
    `roles` (default: the seat type's default role) when their roles do not fit the new seat."""
    act_on_check(actor=actor, user=user, field="seatType")
    if seat_type == user.seat_type:
        return user
    current = list(user.roles.all())
    if roles is None:
        try:
            seat_type_roles_check(seat_type=seat_type, roles=current)
            roles = current
        except IdentityError:
            roles = default_roles(kind=user.kind, seat_type=seat_type)
    roles_grant_check(actor=actor, roles=roles, field="seatType")
    seat_type_roles_check(seat_type=seat_type, roles=roles, field="seatType")
    if user.is_active and not user.is_system:
        seats_check(field="seatType", seat_type=seat_type, roles=roles)
    before = user.seat_type
    user.seat_type = seat_type
    user.save(update_fields=["seat_type", "updated_at"])
    if {role.pk for role in roles} != {role.pk for role in current}:
        user.roles.set(roles)
        permissions.permissions_forget(user)
    audit_record(
        actor=actor,
        action="user.seat_type_changed",
        target=user,
        details={"before": before, "after": seat_type, "roles": sorted(role.name for role in roles)},
    )
    return user


@transaction.atomic
def user_scim_attributes_set(
    *, actor, user: User, external_idp_id: str | None = None, external_idp_username: str | None = None
) -> User:
    """Set the identity provider's names for a person (PactFlow's `externalIdpId` and
    `externalIdpUsername`): only with `user:manage_scim_attributes` (the SCIM role), or by the
    system itself. The username is unique in the organisation, ignoring case."""
    if actor is not None and not permissions.user_has_permission(actor, permissions.Perm.USER_SCIM_ATTRIBUTES):
        raise DelegationRefused("externalIdpId", "Setting external identity provider ids needs the SCIM role.")
    changes = {}
    for field, value in (("external_idp_id", external_idp_id), ("external_idp_username", external_idp_username)):
        if value is None:
            continue
        value = value.strip()
        if len(value) > 255:
            raise IdentityError(field, "At most 255 characters.")
        if value != getattr(user, field):
            changes[field] = [getattr(user, field), value]
            setattr(user, field, value)
    username = user.external_idp_username
    if "external_idp_username" in changes and username:
        if User.objects.filter(external_idp_username__iexact=username).exclude(pk=user.pk).exists():
            raise IdentityError("externalIdpUsername", f"{username} is already someone else's username.")
    if changes:
        user.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action="user.scim_attributes_changed", target=user, details=changes)
    return user


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


def last_admin_check(user: User, *, field: str = "user") -> None:
    """An organisation always keeps one active administrator, so it can never lock itself out."""
    if queries.administrator_is_last(user):
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
        seats_check(field="active", seat_type=user.seat_type, roles=list(user.roles.all()))
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
    current = set(user.roles.values_list("pk", flat=True))
    for role in roles:
        builtin = permissions.BUILTIN_ROLES.get(role.key or "")
        if builtin is not None and not builtin.assignable and role.pk not in current:
            raise IdentityError(
                "roles", f"{role.name} cannot be given directly: name the person an administrator of a team."
            )
    seat_type_roles_check(seat_type=user.seat_type, roles=roles)
    if user.is_active and not user.is_system and takes_no_seat(user.roles.all()) and not takes_no_seat(roles):
        # An Organization Administrator given a role with contract data starts taking a seat.
        seats_check(field="roles", seat_type=user.seat_type, roles=roles)
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
