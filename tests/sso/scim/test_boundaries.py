"""Who may use SCIM, where, and what bad input gets: two organisations and an outsider."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.catalogue import CI
from apps.accounts.models import ApiToken, User
from tests.sso.conftest import plan_set
from tests.sso.scim.conftest import (
    ScimClient,
    azure_user,
    error_of,
    okta_user,
    patch_body,
    scim_account_create,
    scim_org_make,
)

pytestmark = pytest.mark.django_db


def test_without_a_token_or_with_an_unknown_one_it_is_401_in_scims_shape(scim_acme):
    for token in (None, "not-a-token"):
        answer = ScimClient(scim_acme.org.host, token).get("/scim/v2/Users")
        assert answer.status_code == 401
        assert "SCIM role" in error_of(answer)["detail"]
        assert answer["WWW-Authenticate"] == 'Bearer realm="scim"'


def test_only_a_system_account_with_the_scim_role_is_let_in(scim_acme):
    admin = ScimClient(scim_acme.org.host, scim_acme.org.token)  # an Administrator, but a person
    _, ci_token, _ = scim_account_create(scim_acme.org, name="CI", role=CI)

    for client in (admin, ScimClient(scim_acme.org.host, ci_token)):
        answer = client.post("/scim/v2/Users", okta_user("x@acme.example"))
        assert answer.status_code == 403
        assert error_of(answer)["detail"] == "SCIM is for a system account holding the SCIM role."
        assert client.get("/scim/v2/Users").status_code == 403
    with schema_context(scim_acme.schema):
        assert not User.objects.filter(email="x@acme.example").exists()


def test_the_read_only_token_of_the_scim_account_reads_but_never_writes(scim_acme):
    reader = scim_acme.scim(token=scim_acme.read_token)

    assert reader.get("/Users").status_code == 200
    answer = reader.post("/Users", okta_user("x@acme.example"))
    assert answer.status_code == 403 and "read-only" in error_of(answer)["detail"]


def test_one_organisations_scim_token_never_sees_or_changes_anothers_people(scim_acme, scim_globex):
    globex_user = scim_globex.scim().post("/Users", okta_user("gina@globex.example")).json()
    acme = scim_acme.scim()

    listed = acme.get("/Users", filter='userName eq "gina@globex.example"')
    assert listed.status_code == 200 and listed.json()["totalResults"] == 0
    assert "gina@globex.example" not in json.dumps(acme.get("/Users").json())
    assert acme.get(f"/Users/{globex_user['id']}").status_code == 404
    changed = acme.patch(f"/Users/{globex_user['id']}", patch_body({"op": "replace", "value": {"active": False}}))
    assert changed.status_code == 404
    assert acme.delete(f"/Users/{globex_user['id']}").status_code == 404
    group = acme.post("/Groups", {"displayName": "Raid", "members": [{"value": globex_user["id"]}]})
    assert group.status_code == 400 and error_of(group)["scimType"] == "invalidValue"
    # acme's token on globex's host is no token at all there.
    assert ScimClient(scim_globex.org.host, scim_acme.token).get("/scim/v2/Users").status_code == 401
    with schema_context(scim_globex.schema):
        assert User.objects.get(uuid=globex_user["id"]).is_active


def test_an_organisation_without_enterprise_or_without_saml_gets_a_clear_403(acme, outsider, idp):
    business = scim_org_make(acme, idp, plan="business")
    no_saml = scim_org_make(outsider, idp, saml=False)

    answer = business.scim().get("/Users")
    assert answer.status_code == 403
    assert error_of(answer)["detail"] == (
        "SCIM provisioning is part of the Enterprise plan; this organisation is on the Business plan."
    )
    answer = no_saml.scim().post("/Users", okta_user("x@globex.example"))
    assert answer.status_code == 403
    assert "needs SAML single sign-on" in error_of(answer)["detail"]
    with schema_context(no_saml.schema):
        assert not User.objects.filter(email="x@globex.example").exists()


def test_provisioning_takes_a_seat_and_deprovisioning_frees_it(scim_acme):
    plan_set(scim_acme.org, "enterprise", seats=2)  # the administrator and one more
    scim = scim_acme.scim()

    first = scim.post("/Users", okta_user("one@acme.example", external_id="1"))
    assert first.status_code == 201
    full = scim.post("/Users", okta_user("two@acme.example", external_id="2"))
    assert full.status_code == 403 and "All 2 seats" in error_of(full)["detail"]
    viewer = scim.post("/Users", {**okta_user("viewer@acme.example", external_id="3"), "userType": "Viewer"})
    assert viewer.status_code == 201 and viewer.json()["userType"] == "Viewer"  # Enterprise: viewers unlimited

    scim.patch(f"/Users/{first.json()['id']}", patch_body({"op": "replace", "value": {"active": False}}))
    assert scim.post("/Users", okta_user("two@acme.example", external_id="2")).status_code == 201
    back = scim.patch(f"/Users/{first.json()['id']}", patch_body({"op": "replace", "path": "active", "value": True}))
    assert back.status_code == 403 and "seats" in error_of(back)["detail"]
    with schema_context(scim_acme.schema):
        assert not User.objects.get(email="one@acme.example").is_active
        assert User.objects.get(email="viewer@acme.example").roles.get().key == "viewer"


def test_a_deprovisioned_persons_tokens_stay_dead_after_reactivation(scim_acme):
    scim = scim_acme.scim()
    person = scim.post("/Users", okta_user("dev@acme.example")).json()
    with schema_context(scim_acme.schema):
        _, secret = services.token_create(user=User.objects.get(uuid=person["id"]), name="laptop", read_only=True)
    reader = scim_acme.org.client(token=secret)
    assert reader.get("/user").status_code == 200

    scim.patch(f"/Users/{person['id']}", patch_body({"op": "replace", "value": {"active": False}}))
    scim.patch(f"/Users/{person['id']}", patch_body({"op": "replace", "value": {"active": True}}))

    assert reader.get("/user").status_code == 401
    with schema_context(scim_acme.schema):
        assert ApiToken.objects.get(name="laptop").revoked_at is not None


def test_scim_never_changes_an_administrators_email(scim_acme):
    scim = scim_acme.scim()
    admin_id = str(scim_acme.org.admin.uuid)

    answer = scim.patch(
        f"/Users/{admin_id}", patch_body({"op": "replace", "path": "emails", "value": [{"value": "evil@x.example"}]})
    )

    assert answer.status_code == 403 and error_of(answer)["scimType"] == "mutability"
    with schema_context(scim_acme.schema):
        assert User.objects.get(uuid=admin_id).email == "admin@acme.example"
    last = scim.patch(f"/Users/{admin_id}", patch_body({"op": "replace", "value": {"active": False}}))
    assert last.status_code == 400 and "last active administrator" in error_of(last)["detail"]


BAD_BODIES = [
    ("post", "/Users", "{not json"),
    ("post", "/Users", "[1, 2]"),
    ("post", "/Users", '"a string"'),
    ("post", "/Users", "{}"),
    ("post", "/Users", {"userName": 5}),
    ("post", "/Users", {"userName": "nobody"}),
    ("post", "/Users", {"userName": "x@acme.example", "emails": "x"}),
    ("post", "/Users", {"userName": "x@acme.example", "emails": [{"value": "not an email"}]}),
    ("post", "/Users", {"userName": "x@acme.example", "active": "maybe"}),
    ("post", "/Users", {"userName": "x@acme.example", "userType": "Owner"}),
    ("post", "/Users", {"userName": "x" * 300 + "@acme.example"}),
    ("post", "/Users", {"userName": "x@acme.example", "name": "flat"}),
    ("post", "/Users", {"userName": "x@acme.example", "shoeSize": 44}),
    ("post", "/Users", {"schemas": "nope", "userName": "x@acme.example"}),
    ("post", "/Users", {"userName": "x@acme.example", "name": {"givenName": ["a"]}}),
    ("post", "/Users", "[" * 5000 + "]" * 5000),
    ("post", "/Users", b"\xff\xfe\x00"),
    ("post", "/Groups", {"members": []}),
    ("post", "/Groups", {"displayName": "T", "members": "all"}),
    ("post", "/Groups", {"displayName": "T", "members": [{"value": "not-a-uuid"}]}),
    ("post", "/Groups", {"displayName": "T", "members": [{"value": None}]}),
    ("post", "/Groups", {"displayName": {"a": 1}}),
]
BAD_PATCHES = [
    {},
    {"Operations": []},
    {"Operations": "replace"},
    {"Operations": [1]},
    {"Operations": [{"op": "explode"}]},
    {"Operations": [{"op": "replace"}]},
    {"Operations": [{"op": "remove"}]},
    {"Operations": [{"op": "replace", "path": "emails[", "value": "x"}]},
    {"Operations": [{"op": "replace", "path": 'emails[type ne "work"].value', "value": "x@y"}]},
    {"Operations": [{"op": "replace", "path": "urn:other:thing", "value": "x"}]},
    {"Operations": [{"op": "replace", "path": "shoeSize", "value": 1}]},
    {"Operations": [{"op": "remove", "path": "userName"}]},
    {"Operations": [{"op": "remove", "path": 'emails[type eq "work"]'}]},
    {"Operations": [{"op": "replace", "path": "active", "value": None}]},
    {"Operations": [{"op": "replace", "path": 7, "value": None}]},
    {"Operations": [{"op": "add", "value": {"userName": ""}}]},
]
BAD_QUERIES = [
    {"filter": "userName eq"},
    {"filter": 'shoeSize eq "44"'},
    {"filter": '(userName eq "a"'},
    {"filter": 'userName eq "a" and'},
    {"filter": 'meta.lastModified gt "not a date"'},
    {"filter": 'emails[type eq "work"].value eq "x"'},
    {"filter": "x" * 5000},
    {"startIndex": "first"},
    {"count": "1e9"},
]


def test_bad_input_gets_scim_400s_never_a_500(scim_acme):
    scim = scim_acme.scim()
    person = scim.post("/Users", okta_user("p@acme.example")).json()
    group = scim.post("/Groups", {"displayName": "G"}).json()

    answers = []
    for method, path, body in BAD_BODIES:
        answers.append((body, getattr(scim, method)(path, body)))
    for body in BAD_PATCHES:
        answers.append((body, scim.patch(f"/Users/{person['id']}", body)))
        answers.append((body, scim.patch(f"/Groups/{group['id']}", body)))
    for params in BAD_QUERIES:
        answers.append((params, scim.get("/Users", **params)))
    answers.append(("groups filter", scim.get("/Groups", filter='members.display eq "x"')))
    answers.append(("form body", scim.post("/Users", "userName=x", content_type="application/x-www-form-urlencoded")))

    for sent, answer in answers:
        assert answer.status_code in (400, 413, 415), (sent, answer.status_code, answer.content[:300])
        error_of(answer)
    with schema_context(scim_acme.schema):
        assert User.objects.filter(kind=User.Kind.HUMAN).count() == 2  # the admin and p@


def test_an_oversized_body_gets_a_scim_413(scim_acme):
    huge = {**azure_user("big@acme.example"), "title": "x" * (1024 * 1024 + 1)}

    answer = scim_acme.scim().post("/Users", huge)

    assert answer.status_code == 413 and "larger than" in error_of(answer)["detail"]


def test_paging_follows_start_index_and_count(scim_acme):
    scim = scim_acme.scim()
    for number in range(4):
        scim.post("/Users", okta_user(f"p{number}@acme.example", external_id=str(number)))

    page = scim.get("/Users", startIndex=2, count=2).json()
    assert page["totalResults"] == 5 and page["startIndex"] == 2 and page["itemsPerPage"] == 2
    assert [item["userName"] for item in page["Resources"]] == ["p0@acme.example", "p1@acme.example"]
    only_total = scim.get("/Users", count=0).json()
    assert only_total["totalResults"] == 5 and only_total["Resources"] == []
    clamped = scim.get("/Users", startIndex=-3, count=1000).json()
    assert clamped["startIndex"] == 1 and clamped["itemsPerPage"] == 5
    selected = scim.get("/Users", attributes="userName", count=1).json()["Resources"][0]
    assert set(selected) == {"schemas", "id", "userName"}
    active = scim.get("/Users", filter='active eq true and userName sw "p"').json()
    assert active["totalResults"] == 4


def test_nul_characters_are_a_400(scim_acme):
    scim = scim_acme.scim()
    person = scim.post("/Users", okta_user("p@acme.example")).json()

    answers = [
        scim.post("/Users", {"userName": "a\x00b@acme.example"}),
        scim.post("/Users", {"userName": "ab@acme.example", "externalId": "\x00", "displayName": "x\x00"}),
        scim.post("/Groups", {"displayName": "T\x00"}),
        scim.patch(f"/Users/{person['id']}", patch_body({"op": "replace", "path": "displayName", "value": "\x00"})),
    ]

    for answer in answers:
        assert answer.status_code == 400, answer.content[:300]
        assert error_of(answer)["scimType"] == "invalidValue"
    # A NUL in the URL is refused for every route before any view runs (apps/core/middleware.py).
    in_url = scim.get("/Users", filter='userName eq "\x00"')
    assert in_url.status_code == 400 and in_url.json() == {"error": "The URL cannot contain NUL (%00) characters"}


def test_userType_moves_a_person_between_seat_types_with_the_seats_default_role(scim_acme):
    plan_set(scim_acme.org, "enterprise", seats=2)
    scim = scim_acme.scim()
    person = scim.post("/Users", okta_user("mover@acme.example")).json()
    assert scim.post("/Users", okta_user("next@acme.example", external_id="2")).status_code == 403

    moved = scim.patch(f"/Users/{person['id']}", patch_body({"op": "replace", "path": "userType", "value": "Viewer"}))

    assert moved.status_code == 200 and moved.json()["userType"] == "Viewer"
    with schema_context(scim_acme.schema):
        assert list(User.objects.get(uuid=person["id"]).roles.values_list("key", flat=True)) == ["viewer"]
    assert scim.post("/Users", okta_user("next@acme.example", external_id="2")).status_code == 201
    back = scim.patch(f"/Users/{person['id']}", patch_body({"op": "replace", "path": "userType", "value": "Editor"}))
    assert back.status_code == 403 and "All 2 seats" in error_of(back)["detail"]


def test_listing_costs_the_same_statements_whatever_the_number_of_people_and_teams(scim_acme):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scim = scim_acme.scim()

    def statements(path):
        with CaptureQueriesContext(connection) as queries:
            assert scim.get(path).status_code == 200
        return len(queries)

    statements("/Users")  # the first request also records the token's last use
    few = (statements("/Users"), statements("/Groups"))
    people = [scim.post("/Users", okta_user(f"p{n}@acme.example", external_id=str(n))).json() for n in range(5)]
    for n in range(3):
        scim.post("/Groups", {"displayName": f"T{n}", "members": [{"value": p["id"]} for p in people]})

    assert (statements("/Users"), statements("/Groups")) == few


def test_the_sso_settings_page_says_where_scim_is_and_why_not(acme, outsider, idp):
    from tests.billing.conftest import browser_for

    scim_org_make(acme, idp)
    scim_org_make(outsider, idp, plan="business")

    ready = browser_for(acme).get("/settings/sso").content.decode()
    refused = browser_for(outsider).get("/settings/sso").content.decode()

    assert "SCIM base URL: <code>http://acme.localhost/scim/v2</code>" in ready
    assert "SCIM provisioning is part of the Enterprise plan; this organisation is on the Business plan." in refused
