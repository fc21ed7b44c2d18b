"""The request sequence of Okta's "SCIM 2.0 Spec Test" (and Okta's group push), against acme."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import ApiToken, AuditEvent, Team, User
from tests.sso.conftest import SamlSp
from tests.sso.scim.conftest import GROUP, LIST, SCIM_JSON, USER, error_of, okta_user, patch_body, scim_org_make
from tests.support.saml_idp import encode

pytestmark = pytest.mark.django_db


def test_okta_spec_test_sequence_provisions_reads_updates_and_deactivates(scim_acme):
    scim = scim_acme.scim()

    first = scim.get("/Users", count=1, startIndex=1)
    assert first.status_code == 200 and first["Content-Type"].startswith(SCIM_JSON)
    listed = first.json()
    assert listed["schemas"] == [LIST] and listed["startIndex"] == 1 and listed["itemsPerPage"] == 1
    assert listed["totalResults"] == 1  # acme's administrator (the SCIM account is no User)

    missing = scim.get("/Users", filter='userName eq "okta.user@acme.example"', startIndex=1, count=100)
    assert missing.status_code == 200 and missing.json()["totalResults"] == 0
    assert missing.json()["Resources"] == []

    created = scim.post("/Users", okta_user("okta.user@acme.example", external_id="00u9"))
    assert created.status_code == 201, created.content
    user = created.json()
    assert created["Location"] == f"http://{scim_acme.org.host}/scim/v2/Users/{user['id']}"
    assert user["schemas"] == [USER] and user["userName"] == "okta.user@acme.example"
    assert user["externalId"] == "00u9" and user["active"] is True and user["userType"] == "Editor"
    assert user["name"] == {"formatted": "Test User", "givenName": "Test", "familyName": "User"}
    assert user["emails"] == [{"value": "okta.user@acme.example", "type": "work", "primary": True}]
    assert user["groups"] == [
        {"value": user["groups"][0]["value"], "display": "Default", "$ref": user["groups"][0]["$ref"]}
    ]
    assert "password" not in user

    fetched = scim.get(f"/Users/{user['id']}")
    assert fetched.status_code == 200 and fetched.json()["userName"] == "okta.user@acme.example"

    found = scim.get("/Users", filter='userName eq "OKTA.USER@acme.example"', startIndex=1, count=100)
    assert [item["id"] for item in found.json()["Resources"]] == [user["id"]]

    again = scim.post("/Users", okta_user("okta.user@acme.example"))
    assert again.status_code == 409 and error_of(again)["scimType"] == "uniqueness"

    unknown = scim.get("/Users/010101010101010101-not-a-user")
    assert unknown.status_code == 404 and "No User" in error_of(unknown)["detail"]

    body = okta_user("okta.user@acme.example", given="Changed", family="Name", external_id="00u9")
    replaced = scim.put(f"/Users/{user['id']}", {**body, "id": user["id"]})
    assert replaced.status_code == 200 and replaced.json()["displayName"] == "Changed Name"

    with schema_context(scim_acme.schema):
        person = User.objects.get(uuid=user["id"])
        assert not person.has_usable_password() and person.external_idp_username == "okta.user@acme.example"
        assert person.external_idp_id == "00u9" and person.name == "Changed Name"
        live_before = ApiToken.objects.filter(user=person, revoked_at__isnull=True).count()
        digests_before = set(ApiToken.objects.filter(user=person).values_list("digest", flat=True))

    deactivated = scim.patch(f"/Users/{user['id']}", patch_body({"op": "replace", "value": {"active": False}}))
    assert deactivated.status_code == 200 and deactivated.json()["active"] is False

    with schema_context(scim_acme.schema):
        person.refresh_from_db()
        assert not person.is_active and person.deactivated_at is not None
        # The slot tokens got secrets nobody saw: the old ones are dead even after a reactivation.
        assert ApiToken.objects.filter(user=person, revoked_at__isnull=True).count() == live_before
        assert not digests_before & set(ApiToken.objects.filter(user=person).values_list("digest", flat=True))
        actions = list(
            AuditEvent.objects.filter(target_id=user["id"]).order_by("timestamp", "id").values_list("action", "actor")
        )
        assert ("user.created", scim_acme.account.pk) in actions
        assert ("user.deactivated", scim_acme.account.pk) in actions
        assert ("token.all_revoked", scim_acme.account.pk) in actions

    still_listed = scim.get("/Users", filter='userName eq "okta.user@acme.example"')
    assert still_listed.json()["Resources"][0]["active"] is False

    reactivated = scim.put(f"/Users/{user['id']}", {**body, "active": True})
    assert reactivated.status_code == 200 and reactivated.json()["active"] is True


def test_okta_group_push_creates_a_team_and_keeps_its_members(scim_acme):
    scim = scim_acme.scim()
    alice = scim.post("/Users", okta_user("alice@acme.example", external_id="00a")).json()
    bob = scim.post("/Users", okta_user("bob@acme.example", external_id="00b")).json()

    created = scim.post(
        "/Groups",
        {"schemas": [GROUP], "displayName": "Payments", "members": [{"value": alice["id"], "display": "alice"}]},
    )
    assert created.status_code == 201, created.content
    group = created.json()
    assert group["displayName"] == "Payments" and [m["value"] for m in group["members"]] == [alice["id"]]

    listed = scim.get("/Groups", filter='displayName eq "Payments"', startIndex=1, count=100)
    assert [item["id"] for item in listed.json()["Resources"]] == [group["id"]]

    # Okta's push: replace the whole member list, then rename with a path-less replace.
    replaced = scim.patch(
        f"/Groups/{group['id']}",
        patch_body({"op": "replace", "path": "members", "value": [{"value": bob["id"]}, {"value": alice["id"]}]}),
    )
    assert replaced.status_code == 200
    assert sorted(m["display"] for m in replaced.json()["members"]) == ["alice@acme.example", "bob@acme.example"]
    removed = scim.patch(
        f"/Groups/{group['id']}", patch_body({"op": "remove", "path": f'members[value eq "{alice["id"]}"]'})
    )
    assert [m["value"] for m in removed.json()["members"]] == [bob["id"]]
    renamed = scim.patch(
        f"/Groups/{group['id']}",
        patch_body({"op": "replace", "value": {"id": group["id"], "displayName": "Payments Team"}}),
    )
    assert renamed.status_code == 200 and renamed.json()["displayName"] == "Payments Team"

    with schema_context(scim_acme.schema):
        team = Team.objects.get(uuid=group["id"])
        assert team.name == "Payments Team"
        assert list(team.members.values_list("email", flat=True)) == ["bob@acme.example"]
        assert AuditEvent.objects.filter(action="team.updated", actor=scim_acme.account).count() == 3

    member_of = scim.get(f"/Users/{bob['id']}").json()["groups"]
    assert sorted(g["display"] for g in member_of) == ["Default", "Payments Team"]

    deleted = scim.delete(f"/Groups/{group['id']}")
    assert deleted.status_code == 204
    assert scim.get(f"/Groups/{group['id']}").status_code == 404
    with schema_context(scim_acme.schema):
        assert User.objects.filter(email="bob@acme.example", is_active=True).exists()  # unlinked, not deleted


def test_a_provisioned_person_signs_in_with_saml_and_a_deprovisioned_one_cannot(acme, idp):
    org = scim_org_make(acme, idp, saml_allow_idp_initiated=True)
    sp = SamlSp(acme)
    scim = org.scim()
    person = scim.post("/Users", okta_user("sam@acme.example")).json()

    def sign_in():
        browser = acme.browser()
        response = idp.login_response(
            sp_entity_id=sp.entity_id, acs_url=sp.acs, name_id="sam@acme.example", attributes={"name": "Sam"}
        )
        return browser, browser.post("/sso/saml/acs", {"SAMLResponse": encode(response)})

    browser, answer = sign_in()
    assert answer.status_code == 302 and answer["Location"] == "/"
    with schema_context(acme.schema):
        user = User.objects.get(uuid=person["id"])
        assert browser.session["_auth_user_id"] == str(user.pk)
        assert User.objects.filter(kind=User.Kind.HUMAN).count() == 2  # linked, not created again

    scim.patch(f"/Users/{person['id']}", patch_body({"op": "replace", "value": {"active": False}}))

    # The session ended with the deactivation: the page sends the browser to sign in.
    assert browser.get("/dashboard", HTTP_ACCEPT="text/html").status_code == 302
    _, refused = sign_in()
    assert refused.status_code == 403 and "This account is disabled" in refused.content.decode()


def test_a_person_who_was_already_a_member_is_found_by_userName_and_linked_not_duplicated(scim_acme):
    scim = scim_acme.scim()

    found = scim.get("/Users", filter='userName eq "admin@acme.example"', startIndex=1, count=100).json()
    assert found["totalResults"] == 1 and "externalId" not in found["Resources"][0]
    admin_id = found["Resources"][0]["id"]
    duplicate = scim.post("/Users", okta_user("admin@acme.example", external_id="00adm"))
    assert duplicate.status_code == 409 and error_of(duplicate)["scimType"] == "uniqueness"

    linked = scim.patch(
        f"/Users/{admin_id}", patch_body({"op": "replace", "value": {"externalId": "00adm", "userName": "admin"}})
    )

    assert linked.status_code == 200 and linked.json()["userName"] == "admin"
    assert linked.json()["emails"][0]["value"] == "admin@acme.example"  # an administrator keeps their email
    with schema_context(scim_acme.schema):
        admin = User.objects.get(uuid=admin_id)
        assert (admin.external_idp_id, admin.external_idp_username) == ("00adm", "admin")
        assert User.objects.filter(kind=User.Kind.HUMAN).count() == 1
