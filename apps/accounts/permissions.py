"""Named permissions, the built-in roles made of them, and the checks every API view and UI page uses.

API views declare what each HTTP method needs (`required_permissions = {"PUT": Perm.CONTRACT_PUBLISH}`)
and use `BrokerPermission`; a method not listed needs READ for safe methods and is refused
otherwise. Read-only tokens may only use safe methods (or unsafe ones declared to need only READ, such as
POST for-verification), whatever their owner's role. UI pages use
`require_permission(Perm.X)`. Code elsewhere asks `user_has_permission(user, Perm.X)` and, for
pacticipants owned by teams, `user_can_manage_pacticipant(user, name)`.

A user's permissions are the union of their roles' permissions, read once per request (one query)
and cached on the user object, so a role change applies from the next request on.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from rest_framework.permissions import SAFE_METHODS, BasePermission


class Perm:
    READ = "contracts:read"
    CONTRACT_PUBLISH = "contracts:publish"
    VERIFICATION_PUBLISH = "verifications:publish"
    DEPLOYMENT_RECORD = "deployments:record"
    PACTICIPANT_MANAGE = "pacticipants:manage"
    # Manage pacticipants owned by any team, not only by one's own teams.
    PACTICIPANT_MANAGE_ANY = "pacticipants:manage:any"
    ENVIRONMENT_MANAGE = "environments:manage"
    WEBHOOK_MANAGE = "webhooks:manage"
    SECRET_MANAGE = "secrets:manage"
    USER_READ = "users:read"
    USER_MANAGE = "users:manage"
    ROLE_MANAGE = "roles:manage"
    TEAM_MANAGE = "teams:manage"
    SYSTEM_ACCOUNT_MANAGE = "system_accounts:manage"
    TOKEN_MANAGE = "tokens:manage"
    AUDIT_READ = "audit:read"
    SETTINGS_MANAGE = "settings:manage"
    BILLING_MANAGE = "billing:manage"


@dataclass(frozen=True)
class PermissionInfo:
    scope: str
    label: str
    description: str


CATALOGUE = [
    PermissionInfo(Perm.READ, "Read contracts", "Read pacticipants, pacts, verifications, the matrix."),
    PermissionInfo(Perm.CONTRACT_PUBLISH, "Publish contracts", "Publish pacts and provider contracts."),
    PermissionInfo(Perm.VERIFICATION_PUBLISH, "Publish verifications", "Publish verification results."),
    PermissionInfo(Perm.DEPLOYMENT_RECORD, "Record deployments", "Record deployments and releases."),
    PermissionInfo(
        Perm.PACTICIPANT_MANAGE,
        "Manage pacticipants",
        "Create, change and delete pacticipants, versions, branches, tags (own teams' or unowned).",
    ),
    PermissionInfo(
        Perm.PACTICIPANT_MANAGE_ANY, "Manage any pacticipant", "Manage pacticipants whatever team owns them."
    ),
    PermissionInfo(Perm.ENVIRONMENT_MANAGE, "Manage environments", "Create, change and delete environments."),
    PermissionInfo(Perm.WEBHOOK_MANAGE, "Manage webhooks", "Create, change, delete and run webhooks."),
    PermissionInfo(Perm.SECRET_MANAGE, "Manage secrets", "Create, change and delete secrets."),
    PermissionInfo(Perm.USER_READ, "See users", "List users, teams and roles."),
    PermissionInfo(
        Perm.USER_MANAGE,
        "Manage users",
        "Invite, deactivate, reactivate and remove users; give roles; rotate their tokens.",
    ),
    PermissionInfo(Perm.ROLE_MANAGE, "Manage roles", "Create, change and delete custom roles."),
    PermissionInfo(Perm.TEAM_MANAGE, "Manage teams", "Create teams, set their members and pacticipants."),
    PermissionInfo(
        Perm.SYSTEM_ACCOUNT_MANAGE,
        "Manage system accounts",
        "Create and manage system accounts and their tokens.",
    ),
    PermissionInfo(Perm.TOKEN_MANAGE, "Manage own tokens", "See, create, rotate and revoke one's own API tokens."),
    PermissionInfo(Perm.AUDIT_READ, "Read the audit log", "Read who changed what and when."),
    PermissionInfo(Perm.SETTINGS_MANAGE, "Manage settings", "Change organisation settings and SSO."),
    PermissionInfo(Perm.BILLING_MANAGE, "Manage billing", "Change the plan, seats and payment details."),
]
ALL_PERMISSIONS = frozenset(info.scope for info in CATALOGUE)
CATALOGUE_BY_SCOPE = {info.scope: info for info in CATALOGUE}

_USER = frozenset(
    {
        Perm.READ,
        Perm.CONTRACT_PUBLISH,
        Perm.VERIFICATION_PUBLISH,
        Perm.DEPLOYMENT_RECORD,
        Perm.PACTICIPANT_MANAGE,
        Perm.ENVIRONMENT_MANAGE,
        Perm.WEBHOOK_MANAGE,
        Perm.USER_READ,
        Perm.TOKEN_MANAGE,
    }
)


@dataclass(frozen=True)
class BuiltinRole:
    key: str
    name: str
    description: str
    permissions: frozenset


# The PactFlow roles of the same names, mapped onto our permissions. "User" keeps what every
# non-admin could do before roles existed, so existing callers see no change.
BUILTIN_ROLES = {
    role.key: role
    for role in [
        BuiltinRole(
            "administrator",
            "Administrator",
            "Everything, including users, roles and billing.",
            ALL_PERMISSIONS,
        ),
        BuiltinRole("user", "User", "Default for people: publish, verify, record deployments, webhooks.", _USER),
        BuiltinRole(
            "viewer",
            "Viewer",
            "Read contracts and the organisation's users and teams.",
            frozenset({Perm.READ, Perm.USER_READ, Perm.TOKEN_MANAGE}),
        ),
        BuiltinRole(
            "ci",
            "CI/CD",
            "Default for system accounts: publish, verify and record deployments.",
            frozenset(
                {
                    Perm.READ,
                    Perm.CONTRACT_PUBLISH,
                    Perm.VERIFICATION_PUBLISH,
                    Perm.DEPLOYMENT_RECORD,
                    Perm.PACTICIPANT_MANAGE,
                }
            ),
        ),
    ]
}
ADMINISTRATOR, USER, VIEWER, CI = "administrator", "user", "viewer", "ci"


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
    granted = frozenset()
    for role in roles:
        granted |= role_grants(role)
    user._broker_permissions = granted


def permissions_forget(user) -> None:
    """Drop the per-object cache after the user's roles changed."""
    if hasattr(user, "_broker_permissions"):
        del user._broker_permissions


def user_has_permission(user, permission: str) -> bool:
    """Whether a user's roles grant a permission."""
    granted = permissions_of(user)
    return permission in granted or WILDCARD in granted


def user_can_manage_pacticipant(user, pacticipant_name: str) -> bool:
    """Whether a user may change a pacticipant (and its versions, branches, tags, pacts).

    Needs PACTICIPANT_MANAGE. A pacticipant no team owns is open to every such user; one owned by
    teams is limited to their members, unless the user holds PACTICIPANT_MANAGE_ANY.
    """
    if not user_has_permission(user, Perm.PACTICIPANT_MANAGE):
        return False
    if user_has_permission(user, Perm.PACTICIPANT_MANAGE_ANY):
        return True
    from apps.accounts.models import Team

    owners = Team.objects.filter(pacticipants__pacticipant_name=pacticipant_name)
    if not owners.exists():
        return True
    return getattr(user, "pk", None) is not None and owners.filter(members=user).exists()


def public_read_allowed() -> bool:
    """OSS broker's `allow_public_read`: anonymous GETs, only on a self-hosted broker."""
    return settings.SINGLE_TENANT and settings.PACT_BROKER_ALLOW_PUBLIC_READ


class BrokerPermission(BasePermission):
    message = "You do not have permission to perform this action."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        required = getattr(view, "required_permissions", {}).get(request.method)
        if required is None:
            required = Perm.READ if request.method in SAFE_METHODS else None
        # An unsafe method that only needs READ is a read (POST for-verification): read-only tokens may use it.
        if (
            token is not None
            and getattr(token, "read_only", False)
            and request.method not in SAFE_METHODS
            and required != Perm.READ
        ):
            self.message = "This token is read-only."
            return False
        if required is None:
            return False
        user = request.user
        if (
            (user is None or not user.is_authenticated)
            and required == Perm.READ
            and request.method in SAFE_METHODS
            and public_read_allowed()
        ):
            return True
        return user_has_permission(user, required)


PAGE_METHODS = ("GET", "HEAD", "POST")


def forbidden(request, permission: str | None = None):
    """The one 403 of a page for people: what was needed, in the catalogue's words (None: a page
    that needs something other than a permission, e.g. the platform's staff pages)."""
    info = CATALOGUE_BY_SCOPE.get(permission) if permission else None
    label = info.label if info else permission
    return render(request, "accounts/forbidden.html", {"permission": label}, status=403)


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
            return view(request, *args, **kwargs)

        wrapped.permission_gate = (permission, post)
        return wrapped

    return decorator
