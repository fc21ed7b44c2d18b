"""Delegated rights never exceed the delegate's own.

`user:manage`, `role:manage` and `system_account:manage` are handed to people who are not
administrators. Without a ceiling each of them is administrator in disguise: give yourself the
Administrator role, widen a role you hold, change an administrator's email and then reset its
password, or regenerate an administrator's token and use it. So every write that gives or touches
permissions checks, whichever path (API, UI, a task) calls it:

- **grant**: nobody may give (through a role, a new role's permissions, an invitation or a new
  system account) a permission they do not hold themselves; the Administrator role (which holds
  every permission, present and future) only by an administrator;
- **act on**: nobody may change, deactivate, remove, re-invite, or create/rotate/revoke tokens of
  someone holding a permission they do not hold; administrators only by administrators;
- **roles**: nobody may change or delete a role granting a permission they do not hold.

One exception (PactFlow's): a new person may be given the organisation's default role by anyone
holding `user:invite` (apps/accounts/services/users.py `_is_default_grant`); the default role is
chosen only by someone holding everything it grants (services/preferences.py) and is never
Administrator.

Acting on oneself is always within one's own rights. `actor=None` is the system itself
(provisioning, sign-up, SSO just-in-time creation), which is trusted.

One more trusted caller, loud on purpose: the organisation's identity provider through SCIM
(sso/scim/). Its role (PactFlow's SCIM role) holds no contract data, yet it must give new people
the default User role and deactivate people who hold more than it does: the directory is the
source of truth an administrator chose. `dangerously_as_directory(actor)` lifts the ceiling for
that actor inside the block; the SCIM service keeps its own, narrower rules (it only ever grants
the default role of a seat type, and never changes an administrator's profile).
"""

import contextlib
import contextvars

from apps.accounts import permissions
from apps.accounts.services.errors import IdentityError


class DelegationRefused(IdentityError):
    """Answered 403: the caller lacks a right the change would need."""

    status = 403


def _label(scopes) -> str:
    return ", ".join(sorted(scopes))


def _not_covered(wanted, own) -> set:
    """Scopes in `wanted` that `own` does not cover: a `resource:action:*` grant covers the
    narrower `:team`, `:own` and team-UUID scopes of the same action."""
    return {scope for scope in wanted if scope not in own and f"{scope.rsplit(':', 1)[0]}:*" not in own}


def held_permissions(user) -> frozenset:
    """What a user's roles grant, active or not (a deactivated administrator is still one to
    reactivate); WILDCARD for administrators."""
    if getattr(user, "is_superuser", False):
        return permissions.ALL_PERMISSIONS | {permissions.WILDCARD}
    granted = frozenset()
    for role in user.roles.all():
        granted |= permissions.role_grants(role)
    return granted


_directory_actor: contextvars.ContextVar = contextvars.ContextVar("directory_actor", default=None)


@contextlib.contextmanager
def dangerously_as_directory(actor):
    """Inside the block, `actor` (the SCIM system account) writes with no delegation ceiling."""
    token = _directory_actor.set(getattr(actor, "pk", None))
    try:
        yield
    finally:
        _directory_actor.reset(token)


def _actor_permissions(actor) -> frozenset | None:
    """None when the actor is the system itself, or the directory inside its block (no ceiling)."""
    if actor is None:
        return None
    if _directory_actor.get() is not None and getattr(actor, "pk", None) == _directory_actor.get():
        return None
    return permissions.permissions_of(actor)


def _is_self(actor, user) -> bool:
    return getattr(actor, "pk", None) is not None and actor.pk == user.pk


def grant_check(*, actor, granted, field: str = "roles") -> None:
    """Refuse giving `granted` (permission scopes, WILDCARD for Administrator) beyond the actor's."""
    own = _actor_permissions(actor)
    if own is None or permissions.WILDCARD in own:
        return
    granted = frozenset(granted)
    if permissions.WILDCARD in granted:
        raise DelegationRefused(field, "Only administrators can make someone an administrator.")
    missing = _not_covered(granted, own)
    if missing:
        raise DelegationRefused(field, f"You cannot grant permissions you do not hold: {_label(missing)}.")


def roles_grant_check(*, actor, roles, field: str = "roles") -> None:
    granted = frozenset()
    for role in roles:
        granted |= permissions.role_grants(role)
    grant_check(actor=actor, granted=granted, field=field)


def system_account_manage_check(*, actor, account, field: str = "user") -> None:
    """System accounts are changed under `system_account:manage`: `*`, or `team` for accounts in one
    of the actor's teams (creating one needs `*`: pass `account=None`)."""
    if actor is None:
        return
    teams = [str(team.uuid) for team in account.teams.all()] if account is not None else []
    if not permissions.scope_allows(actor, permissions.Perm.SYSTEM_ACCOUNT_MANAGE, team_uuids=teams):
        raise DelegationRefused(
            field,
            "You may only manage system accounts of your teams."
            if account is not None
            else "Creating system accounts needs system_account:manage:*.",
        )


def act_on_check(*, actor, user, field: str = "user") -> None:
    """Refuse changing `user` (or their tokens) when they hold what the actor does not, and a
    system account outside the actor's `system_account:manage` scope."""
    if getattr(user, "is_system", False) and not _is_self(actor, user):
        system_account_manage_check(actor=actor, account=user, field=field)
    own = _actor_permissions(actor)
    if own is None or permissions.WILDCARD in own or _is_self(actor, user):
        return
    theirs = held_permissions(user)
    if permissions.WILDCARD in theirs:
        raise DelegationRefused(field, "Only administrators can change an administrator.")
    missing = _not_covered(theirs, own)
    if missing:
        raise DelegationRefused(
            field, f"You cannot change someone who holds permissions you do not hold: {_label(missing)}."
        )


def role_change_check(*, actor, role, field: str = "permissions") -> None:
    """Refuse changing or deleting a role that grants what the actor does not hold."""
    own = _actor_permissions(actor)
    if own is None or permissions.WILDCARD in own:
        return
    missing = _not_covered(permissions.role_grants(role), own)
    if missing:
        raise DelegationRefused(
            field, f"You cannot change a role that grants permissions you do not hold: {_label(missing)}."
        )
