"""Roles (built-in and custom) decide permissions; teams scope who manages their pacticipants."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import User
from apps.accounts.permissions import (
    ALL_PERMISSIONS,
    BUILTIN_ROLES,
    Perm,
    scope_allows,
    user_has_permission,
)
from tests.accounts.conftest import member_create


@pytest.mark.django_db
@pytest.mark.parametrize("permission", sorted(ALL_PERMISSIONS))
def test_a_custom_role_grants_exactly_its_permissions(world, permission):
    member = member_create(world.org, email="one@acme.example", permissions={permission})

    with schema_context(world.org.schema):
        user = User.objects.get(pk=member.user.pk)
        granted = {perm for perm in ALL_PERMISSIONS if user_has_permission(user, perm)}

    assert granted == {permission}


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(BUILTIN_ROLES))
def test_built_in_roles_grant_what_they_list(world, key):
    member = member_create(world.org, email="one@acme.example", roles=[key])

    with schema_context(world.org.schema):
        user = User.objects.get(pk=member.user.pk)
        granted = {perm for perm in ALL_PERMISSIONS if user_has_permission(user, perm)}

    assert granted == set(BUILTIN_ROLES[key].permissions)


@pytest.mark.django_db
def test_built_in_roles_are_there_and_cannot_be_changed_or_deleted(world):
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")
    roles = admin.get("/admin/roles").json()["roles"]
    builtin = {role["name"]: role for role in roles if role["builtin"]}
    assert set(builtin) == {
        "Administrator",
        "User",
        "CI/CD",
        "Viewer",
        "Read-Only",
        "Team Administrator",
        "Organization Administrator",
        "SCIM",
        "No Access",
    }
    uuid = builtin["User"]["uuid"]

    changed = admin.put(f"/admin/roles/{uuid}", {"name": "Renamed", "permissions": []}, content_type="application/json")
    deleted = admin.delete(f"/admin/roles/{uuid}")

    assert changed.status_code == 422 and "built-in" in changed.json()["errors"]["role"][0]
    assert deleted.status_code == 422


@pytest.mark.django_db
def test_a_role_change_applies_to_the_next_request(world):
    bob = member_create(world.org, email="bob@acme.example", roles=["read_only"])
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")
    assert bob.client().get("/admin/users").status_code == 200
    assert bob.client().get("/audit").status_code == 403

    admin.put(f"/admin/users/{bob.user.uuid}/role/admin", {}, content_type="application/json")
    assert bob.client().get("/audit").status_code == 200

    admin.delete(f"/admin/users/{bob.user.uuid}/role/admin")
    assert bob.client().get("/audit").status_code == 403


@pytest.mark.django_db
def test_deleting_a_custom_role_takes_its_permissions_away(world):
    bob = member_create(world.org, email="bob@acme.example", permissions={Perm.AUDIT_READ})
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")
    role_uuid = bob.client().get("/user").json()["_embedded"]["roles"][0]["uuid"]

    assert admin.delete(f"/admin/roles/{role_uuid}").status_code == 204

    assert bob.client().get("/audit").status_code == 403


@pytest.mark.django_db
def test_unknown_permissions_and_duplicate_names_are_refused(world):
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")

    unknown = admin.post(
        "/admin/roles",
        {"name": "X", "permissions": [{"scope": "everything:*"}]},
        content_type="application/json",
    )
    duplicate = admin.post("/admin/roles", {"name": "extra", "permissions": []}, content_type="application/json")
    missing = admin.post("/admin/roles", {"name": "Y"}, content_type="application/json")

    assert unknown.status_code == 422 and "everything:*" in unknown.json()["errors"]["permissions"][0]
    assert duplicate.status_code == 422 and "already a role" in duplicate.json()["errors"]["name"][0]
    assert missing.status_code == 400 and missing.json() == {"errors": {"permissions": ["This field is required."]}}


@pytest.mark.django_db
def test_roles_reset_restores_built_in_roles(world):
    from apps.accounts.models import Role

    with schema_context(world.org.schema):
        Role.objects.filter(key="viewer").delete()
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")

    response = admin.post("/admin/roles/reset", {}, content_type="application/json")

    assert "Viewer" in [role["name"] for role in response.json()["roles"]]


@pytest.mark.django_db
def test_the_permission_catalogue_is_listed(world):
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")

    scopes = {p["scope"] for p in admin.get("/admin/permissions").json()["permissions"]}

    assert scopes == set(ALL_PERMISSIONS)


@pytest.mark.django_db
def test_a_scoped_grant_covers_its_teams_what_one_created_or_everything(world):
    member = member_create(world.org, email="member@acme.example")
    stranger = member_create(world.org, email="stranger@acme.example")
    with schema_context(world.org.schema):
        services.team_members_add(actor=None, team=world.team, member_uuids=[member.user.uuid])
        fresh = {name: User.objects.get(pk=m.user.pk) for name, m in (("member", member), ("stranger", stranger))}
        admin = User.objects.get(pk=world.org.admin.pk)
        core = [str(world.team.uuid)]

        assert scope_allows(fresh["member"], Perm.CONTRACT_DATA_MANAGE, team_uuids=core)
        assert not scope_allows(fresh["stranger"], Perm.CONTRACT_DATA_MANAGE, team_uuids=core)
        assert scope_allows(admin, Perm.CONTRACT_DATA_MANAGE, team_uuids=core)
        assert scope_allows(fresh["stranger"], Perm.CONTRACT_DATA_MANAGE, owned=True)
        assert not scope_allows(fresh["stranger"], Perm.CONTRACT_DATA_MANAGE)
        assert not scope_allows(fresh["stranger"], Perm.WEBHOOK_MANAGE, owned=True)
        assert not scope_allows(None, Perm.CONTRACT_DATA_MANAGE, owned=True)


@pytest.mark.django_db
def test_teams_api_in_pactflow_shapes(world):
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")

    created = admin.post(
        "/admin/teams",
        {
            "name": "Payments",
            "pacticipantNames": ["Billing", "Ledger"],
            "administratorUuids": [str(world.target.uuid)],
        },
        content_type="application/json",
    )
    uuid = created.json()["uuid"]
    patched = admin.patch(
        f"/admin/teams/{uuid}/users",
        [{"op": "remove", "path": "/users", "value": {"uuid": str(world.target.uuid)}}],
        content_type="application/json",
    )

    assert created.status_code == 201
    body = created.json()
    assert body["numberOfMembers"] == 1
    assert [p["name"] for p in body["_embedded"]["pacticipants"]] == ["Billing", "Ledger"]
    assert patched.json() == {"_embedded": {"users": []}}
    unknown = admin.put(f"/admin/teams/{uuid}/users", {"users": ["not-a-uuid"]}, content_type="application/json")
    assert unknown.status_code == 422 and "No such user" in unknown.json()["errors"]["users"][0]


@pytest.mark.django_db
def test_team_ownership_follows_a_pacticipant_rename(world):
    with schema_context(world.org.schema):
        services.team_pacticipant_rename(old_name="Foo", new_name="Foo Service")

        assert list(world.team.pacticipants.values_list("pacticipant_name", flat=True)) == ["Foo Service"]


@pytest.mark.django_db
def test_current_user_shows_roles_and_teams(world):
    bob = member_create(world.org, email="bob@acme.example", permissions=set())
    with schema_context(world.org.schema):
        services.team_members_add(actor=None, team=world.team, member_uuids=[bob.user.uuid])

    body = bob.client().get("/user").json()

    assert body["email"] == "bob@acme.example" and body["type"] == 0
    assert [team["name"] for team in body["_embedded"]["teams"]] == ["Core", "Default"]


@pytest.mark.django_db
def test_administrators_hold_permissions_other_apps_add_later_and_others_do_not(world):
    bob = member_create(world.org, email="bob@acme.example", roles=["user"])
    with schema_context(world.org.schema):
        admin = User.objects.get(pk=world.org.admin.pk)
        user = User.objects.get(pk=bob.user.pk)

        assert user_has_permission(admin, "someday:new-feature")
        assert not user_has_permission(user, "someday:new-feature")
