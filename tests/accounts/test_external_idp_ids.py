"""PactFlow's pre-create `POST /admin/users` with `externalIdpId` / `externalIdpUsername` (the ids SCIM
keeps): only with `user:manage_scim_attributes`, and the username unique in the organisation."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tests.accounts.conftest import member_create, plan_set

pytestmark = pytest.mark.django_db


def _body(email, **extra):
    return {"email": email, "firstName": "Pat", "lastName": "Lee", **extra}


def test_an_administrator_pre_creates_a_person_with_external_ids(acme, outsider):
    plan_set(acme, plan="team", seats=5)
    client = acme.client()

    created = client.post(
        "/admin/users",
        _body("pat@acme.example", externalIdpId="00u1", externalIdpUsername="pat.lee", seatType="Viewer"),
        content_type="application/json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["externalIdpId"], body["externalIdpUsername"], body["seatType"]) == (
        "Pat Lee",
        "00u1",
        "pat.lee",
        "Viewer",
    )
    clash = client.post(
        "/admin/users", _body("other@acme.example", externalIdpUsername="PAT.LEE"), content_type="application/json"
    )
    assert clash.status_code == 422
    assert clash.json()["errors"] == {"externalIdpUsername": ["PAT.LEE is already someone else's username."]}
    with schema_context(acme.schema):
        assert not User.objects.filter(email="other@acme.example").exists()
    # Another organisation may use the same username.
    elsewhere = outsider.client().post(
        "/admin/users", _body("pat@globex.example", externalIdpUsername="pat.lee"), content_type="application/json"
    )
    assert elsewhere.status_code == 201


def test_external_ids_need_the_scim_attributes_permission(acme):
    plan_set(acme, plan="team", seats=5)
    # Enough to pre-create a Viewer (the role it gives), not to set external ids.
    inviter = member_create(
        acme,
        email="inviter@acme.example",
        permissions=["user:invite", "user:read:*", "contract_data:read:*", "team:read:*"],
    )

    refused = inviter.client().post(
        "/admin/users",
        _body("pat@acme.example", externalIdpId="00u1", seatType="Viewer"),
        content_type="application/json",
    )
    plain = inviter.client().post(
        "/admin/users", _body("sam@acme.example", seatType="Viewer"), content_type="application/json"
    )

    assert refused.status_code == 403
    assert refused.json() == {"error": "Setting external identity provider ids needs the SCIM role."}
    assert plain.status_code == 201 and plain.json()["externalIdpId"] is None
    with schema_context(acme.schema):
        assert not User.objects.filter(email="pat@acme.example").exists()
