"""The request shapes of Azure AD (Entra ID) provisioning and its SCIM validator, against acme."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEvent, Team, User
from tests.sso.scim.conftest import GROUP, azure_user, error_of, patch_body

pytestmark = pytest.mark.django_db


def test_azure_user_lifecycle_with_replace_operations_and_a_filtered_email_path(scim_acme):
    scim = scim_acme.scim()

    assert scim.get("/Users", filter='userName eq "alex.wu@acme.example"').json()["totalResults"] == 0
    created = scim.post("/Users", azure_user("alex.wu@acme.example", external_id="9c1e"))
    assert created.status_code == 201, created.content
    user = created.json()
    assert user["displayName"] == "Alex Wu" and user["externalId"] == "9c1e"
    assert "title" not in user and "phoneNumbers" not in user  # accepted, not kept
    by_external = scim.get("/Users", filter='externalId eq "9c1e"')
    assert [item["id"] for item in by_external.json()["Resources"]] == [user["id"]]

    changed = scim.patch(
        f"/Users/{user['id']}",
        patch_body(
            {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "alex@acme.example"},
            {"op": "Replace", "path": "name.givenName", "value": "Alexander"},
            {"op": "Replace", "path": "title", "value": "Staff Engineer"},
            {
                "op": "Add",
                "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                "value": "Payments",
            },
            {"op": "Replace", "path": "userName", "value": "alex@acme.example"},
            {"op": "Replace", "path": "externalId", "value": "9c1f"},
        ),
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert body["emails"][0]["value"] == "alex@acme.example" and body["userName"] == "alex@acme.example"
    assert body["name"]["givenName"] == "Alexander" and body["displayName"] == "Alexander Wu"
    assert body["externalId"] == "9c1f"

    # Azure AD has sent `active` as the string "False".
    disabled = scim.patch(f"/Users/{user['id']}", patch_body({"op": "Replace", "path": "active", "value": "False"}))
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    enabled = scim.patch(f"/Users/{user['id']}", patch_body({"op": "Replace", "path": "active", "value": True}))
    assert enabled.json()["active"] is True

    removed_id = scim.patch(f"/Users/{user['id']}", patch_body({"op": "Remove", "path": "externalId"}))
    assert "externalId" not in removed_id.json()

    deleted = scim.delete(f"/Users/{user['id']}")
    assert deleted.status_code == 204
    assert scim.get(f"/Users/{user['id']}").status_code == 404
    with schema_context(scim_acme.schema):
        assert not User.objects.filter(email="alex@acme.example").exists()
        assert AuditEvent.objects.filter(action="user.removed", actor=scim_acme.account).count() == 1


def test_azure_groups_are_created_and_get_members_added_and_removed(scim_acme):
    scim = scim_acme.scim()
    alex = scim.post("/Users", azure_user("alex@acme.example", external_id="a1")).json()
    sam = scim.post("/Users", azure_user("sam@acme.example", external_id="a2")).json()

    looked_up = scim.get("/Groups", excludedAttributes="members", filter='displayName eq "Platform"')
    assert looked_up.status_code == 200 and looked_up.json()["totalResults"] == 0
    created = scim.post("/Groups", {"schemas": [GROUP], "externalId": "g-77", "displayName": "Platform", "members": []})
    assert created.status_code == 201, created.content
    group = created.json()
    assert group["externalId"] == "g-77" and group["members"] == []

    added = scim.patch(
        f"/Groups/{group['id']}",
        patch_body({"op": "Add", "path": "members", "value": [{"value": alex["id"]}, {"value": sam["id"]}]}),
    )
    assert added.status_code == 200
    assert sorted(m["value"] for m in added.json()["members"]) == sorted([alex["id"], sam["id"]])

    removed = scim.patch(
        f"/Groups/{group['id']}", patch_body({"op": "Remove", "path": "members", "value": [{"value": alex["id"]}]})
    )
    assert [m["value"] for m in removed.json()["members"]] == [sam["id"]]
    # Azure repeats itself; removing a non-member again is not an error.
    again = scim.patch(
        f"/Groups/{group['id']}", patch_body({"op": "Remove", "path": "members", "value": [{"value": alex["id"]}]})
    )
    assert again.status_code == 200

    slim = scim.get(f"/Groups/{group['id']}", excludedAttributes="members")
    assert slim.status_code == 200 and "members" not in slim.json() and slim.json()["displayName"] == "Platform"
    by_external = scim.get("/Groups", filter='externalId eq "g-77"', excludedAttributes="members")
    assert [item["id"] for item in by_external.json()["Resources"]] == [group["id"]]

    renamed = scim.patch(
        f"/Groups/{group['id']}", patch_body({"op": "Replace", "path": "displayName", "value": "Platform Eng"})
    )
    assert renamed.json()["displayName"] == "Platform Eng"
    with schema_context(scim_acme.schema):
        team = Team.objects.get(uuid=group["id"])
        assert team.name == "Platform Eng" and list(team.members.values_list("email", flat=True)) == [
            "sam@acme.example"
        ]

    clash = scim.post("/Groups", {"schemas": [GROUP], "displayName": "platform eng"})
    assert clash.status_code == 409 and error_of(clash)["scimType"] == "uniqueness"


def test_replacing_members_keeps_the_teams_system_accounts(scim_acme):
    from apps.accounts import services

    scim = scim_acme.scim()
    alex = scim.post("/Users", azure_user("alex@acme.example", external_id="a1")).json()
    group = scim.post("/Groups", {"schemas": [GROUP], "displayName": "Platform"}).json()
    with schema_context(scim_acme.schema):
        ci = services.system_account_create(actor=None, name="CI")
        team = Team.objects.get(uuid=group["id"])
        team.members.add(ci)

    replaced = scim.put(
        f"/Groups/{group['id']}", {"schemas": [GROUP], "displayName": "Platform", "members": [{"value": alex["id"]}]}
    )

    assert replaced.status_code == 200 and [m["value"] for m in replaced.json()["members"]] == [alex["id"]]
    with schema_context(scim_acme.schema):
        assert sorted(team.members.values_list("name", flat=True)) == ["Alex Wu", "CI"]


def test_discovery_endpoints_describe_what_is_supported(scim_acme):
    scim = scim_acme.scim()

    config = scim.get("/ServiceProviderConfig")
    assert config.status_code == 200
    body = config.json()
    assert body["patch"] == {"supported": True} and body["filter"]["supported"] is True
    assert body["bulk"]["supported"] is False and body["authenticationSchemes"][0]["type"] == "oauthbearertoken"

    types = scim.get("/ResourceTypes").json()
    assert [item["id"] for item in types["Resources"]] == ["User", "Group"]
    assert scim.get("/ResourceTypes/Group").json()["endpoint"] == "/Groups"

    schemas = scim.get("/Schemas").json()
    assert [item["id"] for item in schemas["Resources"]] == [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:core:2.0:Group",
    ]
    user_schema = scim.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User").json()
    assert "userName" in [attribute["name"] for attribute in user_schema["attributes"]]
    assert scim.get("/Schemas/urn:nothing").status_code == 404


def test_pactflows_scim_paths_answer_too(scim_acme):
    pactflow = scim_acme.scim(prefix="/scim")

    assert pactflow.get("/ServiceProviderConfig").status_code == 200
    created = pactflow.post("/Users", azure_user("pf@acme.example"))
    assert created.status_code == 201
    assert created["Location"] == f"http://{scim_acme.org.host}/scim/Users/{created.json()['id']}"
    assert pactflow.get("/Users", filter='userName eq "pf@acme.example"').json()["totalResults"] == 1


def test_an_unknown_scim_path_is_scims_404(scim_acme):
    answer = scim_acme.scim().get("/Bulk")

    assert answer.status_code == 404 and error_of(answer)["detail"] == "No SCIM endpoint /scim/v2/Bulk."
    assert scim_acme.scim(token=None).get("/Bulk").status_code == 401
