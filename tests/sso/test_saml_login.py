"""Signing in to an organisation with SAML 2.0, against a real (test) IdP."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tests.sso.conftest import authn_request_id
from tests.support.saml_idp import encode

pytestmark = pytest.mark.django_db


def _post(client, response, relay_state=None):
    data = {"SAMLResponse": encode(response)}
    if relay_state:
        data["RelayState"] = relay_state
    return client.post("/sso/saml/acs", data)


def _signed_in_as(client) -> str | None:
    from django.contrib.auth import get_user

    class _R:
        session = client.session

    user = get_user(_R())
    return user.email if user.is_authenticated else None


def test_idp_initiated_sign_in_provisions_the_person_and_opens_a_session(saml_acme, idp):
    client = saml_acme.org.browser()
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id,
        acs_url=saml_acme.acs,
        name_id="new.person@acme.example",
        attributes={"name": "New Person"},
    )

    answer = _post(client, response)

    assert answer.status_code == 302 and answer["Location"] == "/"
    with schema_context(saml_acme.org.schema):
        user = User.objects.get(email="new.person@acme.example")
        assert user.name == "New Person" and user.email_confirmed and not user.has_usable_password()
        assert not user.is_superuser
        assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/").status_code == 200


def test_sp_initiated_sign_in_goes_to_the_idp_and_accepts_its_answer(saml_acme, idp):
    client = saml_acme.org.browser()

    start = client.get("/sso/saml/login?next=/settings/sso")

    assert start.status_code == 302 and start["Location"].startswith(idp.sso_url + "?SAMLRequest=")
    request_id = authn_request_id(start["Location"])
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id, acs_url=saml_acme.acs, name_id="admin@acme.example", in_response_to=request_id
    )
    answer = _post(client, response, relay_state="/settings/sso")
    assert answer.status_code == 302 and answer["Location"] == "/settings/sso"
    assert client.session.get("sso_source") == "saml"


def test_a_signed_response_with_an_unsigned_assertion_is_accepted(saml_acme, idp):
    client = saml_acme.org.browser()
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id,
        acs_url=saml_acme.acs,
        name_id="admin@acme.example",
        sign_assertion=False,
        sign_response=True,
    )

    assert _post(client, response).status_code == 302
    assert "_auth_user_id" in client.session


def test_an_existing_user_is_linked_by_email_not_duplicated(saml_acme, idp):
    client = saml_acme.org.browser()
    response = idp.login_response(sp_entity_id=saml_acme.entity_id, acs_url=saml_acme.acs, name_id="ADMIN@acme.example")

    assert _post(client, response).status_code == 302
    with schema_context(saml_acme.org.schema):
        assert User.objects.count() == 1
        assert client.session["_auth_user_id"] == str(saml_acme.org.admin.pk)


def test_an_offsite_relay_state_is_not_followed(saml_acme, idp):
    client = saml_acme.org.browser()
    response = idp.login_response(sp_entity_id=saml_acme.entity_id, acs_url=saml_acme.acs, name_id="admin@acme.example")

    answer = _post(client, response, relay_state="https://evil.example/phish")

    assert answer["Location"] == "/"


def test_members_of_the_mapped_admin_group_become_administrators(saml_acme, idp):
    from sso.models import SamlIdentityProvider

    with schema_context(saml_acme.org.schema):
        SamlIdentityProvider.objects.update(admin_groups="broker-admins")
    client = saml_acme.org.browser()
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id,
        acs_url=saml_acme.acs,
        name_id="boss@acme.example",
        attributes={"groups": ["staff", "broker-admins"]},
    )

    assert _post(client, response).status_code == 302
    with schema_context(saml_acme.org.schema):
        assert User.objects.get(email="boss@acme.example").is_superuser


def test_when_the_seats_are_all_taken_a_new_person_gets_a_clear_page(saml_acme, idp):
    from tests.sso.conftest import plan_set

    plan_set(saml_acme.org, "business", seats=1)  # the admin holds the only seat
    client = saml_acme.org.browser()
    response = idp.login_response(sp_entity_id=saml_acme.entity_id, acs_url=saml_acme.acs, name_id="late@acme.example")

    answer = _post(client, response)

    assert answer.status_code == 403
    assert b"No free seat" in answer.content and b"All 1 seats" in answer.content
    with schema_context(saml_acme.org.schema):
        assert not User.objects.filter(email="late@acme.example").exists()
    assert "_auth_user_id" not in client.session


def test_our_sp_metadata_names_each_organisations_own_entity_id_and_acs(saml_acme, saml_outsider):
    acme_metadata = saml_acme.org.browser().get("/sso/saml/metadata")
    globex_metadata = saml_outsider.org.browser().get("/sso/saml/metadata")

    assert acme_metadata.status_code == 200
    assert acme_metadata["Content-Type"] == "application/samlmetadata+xml"
    assert f'entityID="{saml_acme.entity_id}"'.encode() in acme_metadata.content
    assert f'Location="{saml_acme.acs}"'.encode() in acme_metadata.content
    assert f'entityID="{saml_outsider.entity_id}"'.encode() in globex_metadata.content
    assert b"acme" not in globex_metadata.content


def test_sp_metadata_is_not_served_on_a_plan_without_saml(acme):
    assert acme.browser().get("/sso/saml/metadata").status_code == 404


def test_the_acs_is_closed_when_saml_is_not_enabled(acme, idp):
    from tests.sso.conftest import SamlSp, plan_set

    plan_set(acme, "business")
    sp = SamlSp(acme)
    response = idp.login_response(sp_entity_id=sp.entity_id, acs_url=sp.acs, name_id="admin@acme.example")

    assert _post(acme.browser(), response).status_code == 404


def test_single_logout_signs_out_here_and_sends_the_person_to_the_idp(saml_acme, idp):
    client = saml_acme.org.browser()
    _post(
        client,
        idp.login_response(sp_entity_id=saml_acme.entity_id, acs_url=saml_acme.acs, name_id="admin@acme.example"),
    )

    page = client.get("/dashboard", HTTP_ACCEPT="text/html").content.decode()
    assert 'action="/sso/saml/logout"' in page  # the Sign out button goes through the IdP

    answer = client.post("/sso/saml/logout")

    assert answer.status_code == 302 and answer["Location"].startswith(idp.slo_url + "?SAMLRequest=")
    assert "_auth_user_id" not in client.session


def test_a_session_signed_in_without_saml_signs_out_here_only(saml_acme):
    client = saml_acme.org.browser()
    with schema_context(saml_acme.org.schema):
        client.force_login(saml_acme.org.admin)

    page = client.get("/dashboard", HTTP_ACCEPT="text/html").content.decode()

    assert 'action="/logout"' in page and "/sso/saml/logout" not in page
