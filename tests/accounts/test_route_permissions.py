"""Every identity route, API and page: allowed with the permission it needs, refused (403) with
every permission but that one. Read-only tokens are refused on every unsafe route.

"Allowed" callers also hold what the people, roles and system accounts they act on hold: delegated
rights never exceed one's own (apps/accounts/services/delegation.py; tests/security/test_delegation.py).
Making someone an administrator is for administrators only."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import ApiToken
from apps.accounts.permissions import BUILTIN_ROLES, Perm
from tests.accounts.conftest import all_but, browser_for, fill, member_create

SAM = Perm.SYSTEM_ACCOUNT_MANAGE
# What the world's targets hold (a User, a CI system account, a role of contract_data:read:*).
HELD_BY_TARGETS = BUILTIN_ROLES["user"].permissions | BUILTIN_ROLES["ci"].permissions
ADMINISTRATORS_ONLY = {("PUT", "/admin/users/{target}/role/admin")}

API_ROUTES = [
    ("GET", "/settings/tokens", Perm.TOKEN_MANAGE, None),
    ("POST", "/settings/tokens", Perm.TOKEN_MANAGE, {"description": "laptop"}),
    ("GET", "/settings/tokens/{own_token}", Perm.TOKEN_MANAGE, None),
    ("DELETE", "/settings/tokens/{own_named}", Perm.TOKEN_MANAGE, None),
    ("POST", "/settings/tokens/{own_token}/regenerate", Perm.TOKEN_MANAGE, {}),
    ("GET", "/admin/users", Perm.USER_READ, None),
    ("POST", "/admin/users", Perm.USER_INVITE, {"email": "new@acme.example", "name": "New"}),
    ("POST", "/admin/users/invite-user", Perm.USER_INVITE, {"email": "inv@acme.example", "name": "Inv"}),
    ("POST", "/admin/users/invite-users", Perm.USER_INVITE, {"users": [{"email": "inv2@acme.example"}]}),
    ("GET", "/admin/users/{target}", Perm.USER_READ, None),
    ("PUT", "/admin/users/{target}", Perm.USER_MANAGE, {"name": "Renamed"}),
    ("PATCH", "/admin/users/{target}", Perm.USER_MANAGE, {"active": False}),
    ("DELETE", "/admin/users/{target}", Perm.USER_MANAGE, None),
    ("GET", "/admin/users/{target}/roles", Perm.USER_READ, None),
    ("PUT", "/admin/users/{target}/roles", Perm.USER_MANAGE, {"roles": ["{role}"]}),
    ("PUT", "/admin/users/{target}/roles/{role}", Perm.USER_MANAGE, {}),
    ("DELETE", "/admin/users/{target}/roles/{role}", Perm.USER_MANAGE, None),
    ("PUT", "/admin/users/{target}/role/admin", Perm.USER_MANAGE, {}),
    ("DELETE", "/admin/users/{target}/role/admin", Perm.USER_MANAGE, None),
    ("GET", "/admin/users/{target}/tokens", Perm.USER_MANAGE, None),
    ("POST", "/admin/users/{target}/tokens/{target_token}/regenerate", Perm.USER_MANAGE, {}),
    ("GET", "/admin/invitations", Perm.USER_MANAGE, None),
    ("DELETE", "/admin/invitations/{invitee}", Perm.USER_MANAGE, None),
    ("GET", "/admin/system-accounts", Perm.SYSTEM_ACCOUNT_READ, None),
    ("POST", "/admin/system-accounts", SAM, {"name": "bot-two"}),
    ("GET", "/admin/system-accounts/{bot}", Perm.SYSTEM_ACCOUNT_READ, None),
    ("PUT", "/admin/system-accounts/{bot}", SAM, {"name": "bot-three"}),
    ("DELETE", "/admin/system-accounts/{bot}", SAM, None),
    ("GET", "/admin/system-accounts/{bot}/tokens", SAM, None),
    ("POST", "/admin/system-accounts/{bot}/tokens", SAM, {"description": "deploy-2"}),
    ("DELETE", "/admin/system-accounts/{bot}/tokens/{bot_named}", SAM, None),
    ("POST", "/admin/system-accounts/{bot}/tokens/{bot_token}/regenerate", SAM, {}),
    ("GET", "/admin/roles", Perm.ROLE_READ, None),
    ("POST", "/admin/roles", Perm.ROLE_MANAGE, {"name": "Reader", "permissions": [{"scope": "contract_data:read:*"}]}),
    ("POST", "/admin/roles/reset", Perm.ROLE_MANAGE, {}),
    ("GET", "/admin/roles/{role}", Perm.ROLE_READ, None),
    ("PUT", "/admin/roles/{role}", Perm.ROLE_MANAGE, {"name": "Extra two", "permissions": []}),
    ("DELETE", "/admin/roles/{role}", Perm.ROLE_MANAGE, None),
    ("GET", "/admin/permissions", Perm.ROLE_READ, None),
    ("GET", "/admin/teams", Perm.TEAM_READ, None),
    ("POST", "/admin/teams", Perm.TEAM_MANAGE, {"name": "Platform"}),
    ("GET", "/admin/teams/{team}", Perm.TEAM_READ, None),
    ("PUT", "/admin/teams/{team}", Perm.TEAM_MANAGE, {"name": "Core two"}),
    ("DELETE", "/admin/teams/{team}", Perm.TEAM_MANAGE, None),
    ("GET", "/admin/teams/{team}/users", Perm.TEAM_READ, None),
    ("PUT", "/admin/teams/{team}/users", Perm.TEAM_MANAGE, {"users": ["{target}"]}),
    ("POST", "/admin/teams/{team}/users", Perm.TEAM_MANAGE, {"users": ["{target}"]}),
    ("DELETE", "/admin/teams/{team}/users", Perm.TEAM_MANAGE, {"users": ["{target}"]}),
    (
        "PATCH",
        "/admin/teams/{team}/users",
        Perm.TEAM_MANAGE,
        [{"op": "add", "path": "/users", "value": {"uuid": "{target}"}}],
    ),
    ("GET", "/audit", Perm.AUDIT_READ, None),
]

PAGE_ROUTES = [
    ("GET", "/account/tokens", Perm.TOKEN_MANAGE, None),
    ("POST", "/account/tokens", Perm.TOKEN_MANAGE, {"action": "create", "name": "laptop", "read_only": "on"}),
    ("GET", "/organisation/users", Perm.USER_READ, None),
    ("POST", "/organisation/users", Perm.USER_INVITE, {"email": "ui@acme.example"}),
    ("GET", "/organisation/users/{target}", Perm.USER_READ, None),
    ("POST", "/organisation/users/{target}", Perm.USER_MANAGE, {"action": "deactivate"}),
    ("GET", "/organisation/system-accounts", Perm.SYSTEM_ACCOUNT_READ, None),
    ("POST", "/organisation/system-accounts", SAM, {"name": "ui-bot"}),
    ("GET", "/organisation/system-accounts/{bot}", SAM, None),
    ("POST", "/organisation/system-accounts/{bot}", SAM, {"action": "deactivate"}),
    ("GET", "/organisation/roles", Perm.ROLE_READ, None),
    ("POST", "/organisation/roles", Perm.ROLE_MANAGE, {"name": "UI role", "permissions": ["contract_data:read:*"]}),
    ("GET", "/organisation/roles/{role}", Perm.ROLE_READ, None),
    ("POST", "/organisation/roles/{role}", Perm.ROLE_MANAGE, {"name": "Extra three"}),
    ("GET", "/organisation/teams", Perm.TEAM_READ, None),
    ("POST", "/organisation/teams", Perm.TEAM_MANAGE, {"name": "UI team"}),
    ("GET", "/organisation/teams/{team}", Perm.TEAM_READ, None),
    ("POST", "/organisation/teams/{team}", Perm.TEAM_MANAGE, {"name": "Core three"}),
    ("GET", "/organisation/audit", Perm.AUDIT_READ, None),
    ("GET", "/organisation/audit/export", Perm.AUDIT_READ, {"format": "csv"}),
]


def _route_id(route):
    return f"{route[0]} {route[1]}"


def _caller(world, permissions):
    caller = member_create(world.org, email="caller@acme.example", permissions=permissions)
    with schema_context(world.org.schema):
        ids = {
            **world.ids,
            "own_token": str(ApiToken.objects.get(user=caller.user, slot="rw").uuid),
            "own_named": str(ApiToken.objects.get(user=caller.user, name="ro").uuid),
        }
    return caller, ids


def _api_call(client, method, path, body, ids):
    data = fill(json.dumps(body), ids) if body is not None else None
    return client.generic(method, fill(path, ids), data=data or "", content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("route", API_ROUTES, ids=_route_id)
def test_api_route_is_allowed_with_its_permission(world, route):
    method, path, permission, body = route
    caller, ids = _caller(world, {permission} | HELD_BY_TARGETS)

    response = _api_call(caller.client(), method, path, body, ids)

    if (method, path) in ADMINISTRATORS_ONLY:
        assert response.status_code == 403
        assert response.json() == {"error": "Only administrators can make someone an administrator."}
        return
    assert response.status_code not in (401, 403), response.content
    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("route", API_ROUTES, ids=_route_id)
def test_api_route_is_refused_without_its_permission(world, route):
    method, path, permission, body = route
    caller, ids = _caller(world, all_but(permission))

    response = _api_call(caller.client(), method, path, body, ids)

    assert response.status_code == 403, response.content
    assert response["Content-Type"].startswith("application/hal+json")
    assert "error" in response.json()


UNSAFE_API_ROUTES = [route for route in API_ROUTES if route[0] not in ("GET", "HEAD")]


@pytest.mark.django_db
@pytest.mark.parametrize("route", UNSAFE_API_ROUTES, ids=_route_id)
def test_read_only_token_is_refused_on_every_unsafe_api_route(world, route):
    method, path, permission, body = route
    caller, ids = _caller(world, {permission})

    response = _api_call(caller.client(caller.read_token), method, path, body, ids)

    assert response.status_code == 403
    assert response.json() == {"error": "This token is read-only."}


@pytest.mark.django_db
@pytest.mark.parametrize("route", API_ROUTES, ids=_route_id)
def test_api_route_without_credentials_is_401(world, route):
    method, path, _, body = route
    from django.test import Client

    response = _api_call(Client(HTTP_HOST=world.org.host), method, path, body, world.ids)

    assert response.status_code == 401
    assert response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PAGE_ROUTES, ids=_route_id)
def test_page_is_allowed_with_its_permission(world, route):
    method, path, permission, data = route
    caller, ids = _caller(world, {permission} | HELD_BY_TARGETS)
    client = browser_for(world.org, caller.user)

    response = getattr(client, method.lower())(fill(path, ids), data=data or {})

    assert response.status_code in (200, 302), response.content[:500]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PAGE_ROUTES, ids=_route_id)
def test_page_is_refused_without_its_permission(world, route):
    method, path, permission, data = route
    caller, ids = _caller(world, all_but(permission))
    client = browser_for(world.org, caller.user)

    response = getattr(client, method.lower())(fill(path, ids), data=data or {})

    assert response.status_code == 403
    assert "permission" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("route", PAGE_ROUTES, ids=_route_id)
def test_page_sends_anonymous_visitors_to_sign_in(world, route):
    from django.test import Client

    method, path, _, data = route
    response = getattr(Client(HTTP_HOST=world.org.host), method.lower())(fill(path, world.ids), data=data or {})

    assert response.status_code == 302
    assert response["Location"].startswith("/login")
