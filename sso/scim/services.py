"""SCIM's writes, each one transaction, through the accounts services: seats are checked, audit
entries written and the last administrator kept exactly as the admin API does. The SCIM system
account is the actor of every entry.

The directory is trusted to give the default role of a seat type and to deactivate anyone
(`dangerously_as_directory`, apps/accounts/services/delegation.py); beyond that it is narrower
than an administrator: it never changes an administrator's email (with a password reset, that
would hand over the account), never touches system accounts, and leaves the system accounts of a
team alone when it replaces the team's members.
"""

from django.db import transaction

from apps.accounts import permissions
from apps.accounts import services as accounts
from apps.accounts.models import Team, User
from apps.accounts.services.delegation import dangerously_as_directory
from apps.accounts.services.errors import IdentityError
from apps.accounts.services.teams import team_names_lock
from apps.accounts.services.users import limits_lock
from sso.scim.errors import ScimError
from sso.scim.patch import GroupChanges, UserChanges


def _is_administrator(user: User) -> bool:
    return user.is_superuser or user.roles.filter(key=permissions.ADMINISTRATOR).exists()


def _name(user: User | None, changes: UserChanges) -> str | None:
    """The person's name: displayName (or name.formatted), else given and family names composed
    (a part not sent is kept from the current name)."""
    if changes.display_name:
        return changes.display_name[:150]
    if changes.given_name is None and changes.family_name is None:
        return "" if changes.display_name == "" else None
    given, _, family = (user.name if user else "").partition(" ")
    given = given if changes.given_name is None else changes.given_name
    family = family if changes.family_name is None else changes.family_name
    return " ".join(part for part in (given, family) if part)[:150]


def _username_taken_check(user_name: str, *, exclude: User | None = None) -> None:
    clash = User.objects.filter(external_idp_username__iexact=user_name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise ScimError(409, f"userName {user_name} is already in use.", "uniqueness")


@transaction.atomic
def scim_user_create(*, actor: User, changes: UserChanges) -> User:
    """Provision a person who signs in with SAML: takes a seat of their type (Editor unless
    `userType` says Viewer), gets that seat's default role and joins the Default team."""
    limits_lock()  # before the uniqueness checks: two identical POSTs at once give one person and a 409
    _username_taken_check(changes.user_name)
    if User.objects.filter(email__iexact=changes.email).exists():
        raise ScimError(409, f"{changes.email} is already a member of this organisation.", "uniqueness")
    seat_type = changes.seat_type or User.SeatType.EDITOR
    with dangerously_as_directory(actor):
        user = accounts.user_add(actor=actor, email=changes.email, name=_name(None, changes) or "", seat_type=seat_type)
        accounts.user_scim_attributes_set(
            actor=actor, user=user, external_idp_id=changes.external_id or "", external_idp_username=changes.user_name
        )
        if changes.active is False:
            scim_user_deactivate(actor=actor, user=user)
    return user


@transaction.atomic
def scim_user_update(*, actor: User, user: User, changes: UserChanges) -> User:
    """Apply what PUT or PATCH asked; what was not sent stays as it is."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if changes.active is False:
        # Deactivate first: an update that also deprovisions must not need a seat on the way.
        scim_user_deactivate(actor=actor, user=user)
    if changes.email is not None and changes.email != user.email and _is_administrator(user):
        raise ScimError(
            403, "An administrator's email is changed in the broker, not by the identity provider.", "mutability"
        )
    if changes.user_name is not None and changes.user_name != user.external_idp_username:
        _username_taken_check(changes.user_name, exclude=user)
    if changes.email is not None and User.objects.filter(email__iexact=changes.email).exclude(pk=user.pk).exists():
        raise ScimError(409, f"{changes.email} is already someone else's email.", "uniqueness")
    with dangerously_as_directory(actor):
        accounts.user_update(actor=actor, user=user, name=_name(user, changes), email=changes.email)
        accounts.user_scim_attributes_set(
            actor=actor, user=user, external_idp_id=changes.external_id, external_idp_username=changes.user_name
        )
        if changes.seat_type is not None and changes.seat_type != user.seat_type:
            accounts.user_seat_type_set(actor=actor, user=user, seat_type=changes.seat_type)
        if changes.active is True and not user.is_active:
            accounts.user_reactivate(actor=actor, user=user)
    return user


@transaction.atomic
def scim_user_deactivate(*, actor: User, user: User) -> User:
    """Deprovision: the seat is freed and every token dies (a reactivated person regenerates theirs)."""
    with dangerously_as_directory(actor):
        accounts.user_deactivate(actor=actor, user=user)
        accounts.tokens_revoke_all(actor=actor, user=user)
    return user


# --- Groups (teams) -------------------------------------------------------------------------------


def _humans(ids: list[str]) -> list[User]:
    """The people these SCIM ids name; a 400 for any that is not one of this organisation's."""
    from apps.accounts.queries import valid_uuid

    wanted = {value: valid_uuid(value) for value in ids}
    found = {
        str(user.uuid): user
        for user in User.objects.filter(kind=User.Kind.HUMAN, uuid__in=[v for v in wanted.values() if v])
    }
    missing = [value for value, parsed in wanted.items() if parsed is None or str(parsed) not in found]
    if missing:
        raise ScimError(400, f"No User with id {', '.join(sorted(missing))[:300]}.", "invalidValue")
    return [found[str(wanted[value])] for value in ids]


def _team_name_check(name: str, team: Team | None = None) -> None:
    # Before the check, as the accounts services do: two identical POSTs at once give one team and a 409.
    team_names_lock()
    clash = Team.objects.filter(name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise ScimError(409, f"There is already a team called {name}.", "uniqueness")


@transaction.atomic
def scim_group_create(*, actor: User, changes: GroupChanges) -> Team:
    _team_name_check(changes.name)
    members = _humans((changes.members_set or []) + changes.members_add)
    with dangerously_as_directory(actor):
        team = accounts.team_create(actor=actor, name=changes.name, member_uuids=[str(u.uuid) for u in members])
        if changes.external_id:
            accounts.team_external_id_set(actor=actor, team=team, external_idp_id=changes.external_id)
    return team


@transaction.atomic
def scim_group_update(*, actor: User, team: Team, changes: GroupChanges) -> Team:
    """Rename, and members: replaced (the directory's people; the team's system accounts stay),
    added or removed. Removing someone who is not a member is not an error (Azure AD repeats)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if changes.name is not None:
        _team_name_check(changes.name, team)
    current = list(team.members.all())
    members = {str(user.uuid) for user in current}
    if changes.members_set is not None:
        kept = {str(user.uuid) for user in current if user.kind != User.Kind.HUMAN}
        members = kept | {str(user.uuid) for user in _humans(changes.members_set)}
    members |= {str(user.uuid) for user in _humans(changes.members_add)}
    removing = set(changes.members_remove)
    members = {value for value in members if value not in removing}
    changed_members = members != {str(user.uuid) for user in current}
    with dangerously_as_directory(actor):
        accounts.team_update(
            actor=actor, team=team, name=changes.name, member_uuids=sorted(members) if changed_members else None
        )
        if changes.external_id is not None:
            accounts.team_external_id_set(actor=actor, team=team, external_idp_id=changes.external_id)
    return team


@transaction.atomic
def scim_group_delete(*, actor: User, team: Team) -> None:
    with dangerously_as_directory(actor):
        accounts.team_delete(actor=actor, team=team)


def identity_error_to_scim(exc: IdentityError) -> ScimError:
    """The accounts services' refusals in SCIM's words: seats and rights 403, the rest 400."""
    from apps.accounts.services.errors import LimitReached

    if isinstance(exc, LimitReached) or exc.status == 403:
        return ScimError(403, exc.message)
    return ScimError(400, exc.message, "invalidValue")
