"""The checks every API view and UI page uses, over the catalogue of apps/accounts/catalogue.py.

API views declare the action each HTTP method needs (`required_permissions = {"PUT":
Perm.CONTRACT_DATA_MANAGE}`) and use `BrokerPermission`, which asks whether the caller holds that
action in any scope; a method not listed needs `contract_data:read` for safe methods and is refused
otherwise. Read-only tokens may only use safe methods (or unsafe ones declared to need only reading,
such as POST for-verification), whatever their owner's role; tokens of people whose roles are all
UI-only (Viewer) open nothing. UI pages use `require_permission(Perm.X)`.

Which resource a scoped grant covers (`*`, `team`, `own`, a team's UUID) is decided by
`scope_allows`, the one rule; apps/contracts/access.py applies it to applications, environments,
webhooks and secrets on every write path.

A user's permissions are the union of their roles' permissions, read once per request (one query)
and cached on the user object, so a role change applies from the next request on; team membership
is read once, and only by a check that needs it.
"""

import contextvars
import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from rest_framework.permissions import SAFE_METHODS, BasePermission

from apps.accounts.catalogue import (  # noqa: F401  (re-exported: one place to import from)
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    BUILTIN_ROLES,
    CATALOGUE,
    CATALOGUE_BY_SCOPE,
    CI,
    NO_ACCESS,
    ORGANIZATION_ADMINISTRATOR,
    READ_ONLY,
    SCIM,
    TEAM_ADMINISTRATOR,
    TEAM_SCOPE,
    UI_ONLY_ROLES,
    USER,
    VIEWER,
    BuiltinRole,
    Perm,
    PermissionInfo,
)

# The principal a request acts as, once a gate (BrokerPermission, require_permission) let it in:
# writes deep in a service read it to record who created a row (`created_by`, for `:own` grants)
# without every service signature carrying it. Reset per request by AuditContextMiddleware.
_acting_user: contextvars.ContextVar = contextvars.ContextVar("acting_user", default=None)


def acting_user_set(user):
    return _acting_user.set(user)


def acting_user_reset(token) -> None:
    _acting_user.reset(token)


def acting_user():
    """The database user the current request acts as, or None (tasks, basic auth, anonymous)."""
    user = _acting_user.get()
    return user if getattr(user, "pk", None) is not None else None


# Held by Administrators only: grants any permission, including ones other apps add later, so an
# organisation's administrators are never locked out of a new feature.
WILDCARD = "*"


def role_permissions(role) -> frozenset:
    """The catalogue permissions a role grants (what pages and the API show)."""
    if role.key is not None and role.key in BUILTIN_ROLES:
        return BUILTIN_ROLES[role.key].permissions
    return frozenset(role.permissions or ()) & ALL_PERMISSIONS


def role_grants(role) -> frozenset:
    granted = role_permissions(role)
    return granted | {WILDCARD} if role.key == ADMINISTRATOR else granted


def permissions_of(user) -> frozenset:
    """Every permission a principal holds (empty for anonymous or inactive ones)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    # Principals that are not database users (self-hosted basic auth) carry their permissions.
    granted = getattr(user, "granted_permissions", None)
    if granted is not None:
        return frozenset(granted)
    if user.is_superuser:
        return ALL_PERMISSIONS | {WILDCARD}
    if getattr(user, "_broker_permissions", None) is None:
        permissions_preload(user, user.roles.all())
    return user._broker_permissions


def permissions_preload(user, roles) -> None:
    """Cache a user's permissions from roles read with the user (objects with `key`, `permissions`)."""
    roles = list(roles)
    granted = frozenset()
    for role in roles:
        granted |= role_grants(role)
    user._broker_permissions = granted
    user._broker_ui_only = bool(roles) and all(role.key in UI_ONLY_ROLES for role in roles)


def permissions_forget(user) -> None:
    """Drop the per-object caches after the user's roles or teams changed."""
    for name in ("_broker_permissions", "_broker_ui_only", "_broker_teams", "_broker_administered"):
        if hasattr(user, name):
            delattr(user, name)


def _team_sets(user) -> tuple[frozenset, frozenset]:
    """(teams the user is in, teams the user administers) as UUID strings; read once per request,
    and only by a check that needs them."""
    if getattr(user, "pk", None) is None:
        return frozenset(), frozenset()
    if getattr(user, "_broker_teams", None) is None:
        from apps.accounts.models import Team

        user._broker_teams = frozenset(str(v) for v in Team.objects.filter(members=user).values_list("uuid", flat=True))
        user._broker_administered = frozenset(
            str(v) for v in Team.objects.filter(administrators=user).values_list("uuid", flat=True)
        )
    return user._broker_teams, user._broker_administered


def user_team_uuids(user) -> frozenset:
    return _team_sets(user)[0]


def _granted_with_teams(user, action: str) -> frozenset:
    granted = permissions_of(user)
    # Team Administrators hold `team:manage:{uuid}` for the teams they administer.
    if action == Perm.TEAM_MANAGE and granted is not None and getattr(user, "is_active", False):
        granted = granted | {f"team:manage:{uuid_}" for uuid_ in _team_sets(user)[1]}
    return granted


def user_has_permission(user, permission: str) -> bool:
    """Whether a user holds `permission`: a full scope (`user:manage:*`) exactly, or an action
    (`contract_data:manage`) in any scope; the resource is checked by `scope_allows`."""
    granted = _granted_with_teams(user, permission)
    if permission in granted or WILDCARD in granted:
        return True
    return any(scope.startswith(permission + ":") for scope in granted)


def scope_allows(user, action: str, *, team_uuids=(), owned: bool = False) -> bool:
    """Whether a grant of `action` covers one resource: `*` always; `own` when the user created it
    (`owned`); `team` when one of the resource's teams (`team_uuids`) is one of the user's; a team
    UUID when the resource is that team's. The one rule every scoped check uses."""
    granted = _granted_with_teams(user, action)
    if WILDCARD in granted or f"{action}:*" in granted:
        return True
    if owned and f"{action}:own" in granted:
        return True
    teams = {str(value) for value in team_uuids if value}
    if not teams:
        return False
    if any(f"{action}:{team}" in granted for team in teams):
        return True
    return f"{action}:team" in granted and bool(teams & user_team_uuids(user))


def scope_of(user, action: str) -> str | None:
    """The widest scope of `action` a user holds: "*", "team", "own", or None."""
    granted = _granted_with_teams(user, action)
    if WILDCARD in granted or f"{action}:*" in granted:
        return "*"
    for scope in ("team", "own"):
        if f"{action}:{scope}" in granted:
            return scope
    return None


def public_read_allowed() -> bool:
    """OSS broker's `allow_public_read`: anonymous GETs, only on a self-hosted broker."""
    return settings.SINGLE_TENANT and settings.PACT_BROKER_ALLOW_PUBLIC_READ


class BrokerPermission(BasePermission):
    message = "You do not have permission to perform this action."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        required = getattr(view, "required_permissions", {}).get(request.method)
        if required is None:
            required = Perm.CONTRACT_DATA_READ if request.method in SAFE_METHODS else None
        # An unsafe method that only needs READ is a read (POST for-verification): read-only tokens may use it.
        if (
            token is not None
            and getattr(token, "read_only", False)
            and request.method not in SAFE_METHODS
            and required != Perm.CONTRACT_DATA_READ
        ):
            self.message = "This token is read-only."
            return False
        if required is None:
            return False
        user = request.user
        if (
            (user is None or not user.is_authenticated)
            and required == Perm.CONTRACT_DATA_READ
            and request.method in SAFE_METHODS
            and public_read_allowed()
        ):
            return True
        if getattr(token, "digest", None) is not None and permissions_of(user) is not None:
            # PactFlow's Viewer role is for the UI only: its holders' tokens open nothing.
            if getattr(user, "_broker_ui_only", False):
                self.message = "Your role gives access to the UI only, not to the API."
                return False
        allowed = user_has_permission(user, required)
        if allowed:
            acting_user_set(user)
        return allowed


PAGE_METHODS = ("GET", "HEAD", "POST")


def forbidden(request, permission: str | None = None, reason: str | None = None):
    """The one 403 of a page for people: what was needed, in the catalogue's words (None: a page
    that needs something other than a permission, e.g. the platform's staff pages), and `reason`
    when the permission is held but its scope does not cover this resource (a team's webhook)."""
    label = permission_label(permission) if permission else None
    return render(request, "accounts/forbidden.html", {"permission": label, "reason": reason}, status=403)


def permission_label(permission: str) -> str:
    """The catalogue's words for a scope or an action (the label of its widest scope)."""
    info = CATALOGUE_BY_SCOPE.get(permission) or CATALOGUE_BY_SCOPE.get(f"{permission}:*")
    info = info or next((i for i in CATALOGUE if i.scope.startswith(permission + ":")), None)
    return info.label if info else permission


def require_permission(permission: str | None, *, post: str | None = None):
    """The one UI permission gate, for every page (ui, settings, SSO, billing).

    Sign-in first (a redirect to the login page), then the method: pages take GET, HEAD and POST
    only (any other is 405), then the permission: `permission` to read the page, `post` (default
    the same) to submit it; without it the 403 page of `forbidden`. `permission=None`: any signed-in
    person (their own password). apps/core/public.py lists the pages that skip it.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.method not in PAGE_METHODS:
                return HttpResponseNotAllowed(["GET", "POST"])
            needed = permission if request.method in ("GET", "HEAD") else (post or permission)
            if needed is not None and not user_has_permission(request.user, needed):
                return forbidden(request, needed)
            acting_user_set(request.user)
            return view(request, *args, **kwargs)

        wrapped.permission_gate = (permission, post)
        return wrapped

    return decorator
