"""IdP-initiated SAML sign-in (an unsolicited response, no InResponseTo) is off unless an admin turns it on."""

import pytest
from django_tenants.utils import schema_context

from sso.models import LoginPolicy
from tests.sso.conftest import SamlSp, authn_request_id, plan_set, saml_configure
from tests.support.saml_idp import encode

pytestmark = pytest.mark.django_db
OFF = b"Sign-in must start from this site (IdP-initiated sign-in is off)."


@pytest.fixture
def sp(acme, idp):
    plan_set(acme, "business", seats=3)
    saml_configure(acme, idp)  # the organisation's choice left at its default
    return SamlSp(acme)


def _admin(org):
    client = org.browser()
    with schema_context(org.schema):
        client.force_login(org.admin, backend="sso.auth.TenantModelBackend")
    return client


def _unsolicited(sp, idp):
    return {
        "SAMLResponse": encode(
            idp.login_response(sp_entity_id=sp.entity_id, acs_url=sp.acs, name_id="admin@acme.example")
        )
    }


def test_an_unsolicited_response_is_refused_by_default(sp, idp):
    client = sp.org.browser()

    answer = client.post("/sso/saml/acs", _unsolicited(sp, idp))

    assert answer.status_code == 403 and OFF in answer.content
    assert "_auth_user_id" not in client.session


def test_sp_initiated_sign_in_works_with_idp_initiated_off(sp, idp):
    client = sp.org.browser()
    request_id = authn_request_id(client.get("/sso/saml/login")["Location"])
    response = idp.login_response(
        sp_entity_id=sp.entity_id, acs_url=sp.acs, name_id="admin@acme.example", in_response_to=request_id
    )

    assert client.post("/sso/saml/acs", {"SAMLResponse": encode(response)}).status_code == 302
    assert "_auth_user_id" in client.session


def test_the_settings_page_shows_idp_initiated_sign_in_off(sp):
    page = _admin(sp.org).get("/settings/sso").content.decode()

    assert 'name="saml_allow_idp_initiated"' in page
    assert 'id="id_saml_allow_idp_initiated" checked' not in page
    assert 'id="id_password_enabled" checked' in page  # (how a checked box renders)


def test_an_administrator_turns_idp_initiated_sign_in_on_and_off(sp, idp):
    admin = _admin(sp.org)
    on = {"password_enabled": "on", "saml_enabled": "on", "saml_allow_idp_initiated": "on"}

    assert admin.post("/settings/sso/policy", on).status_code == 302
    client = sp.org.browser()
    assert client.post("/sso/saml/acs", _unsolicited(sp, idp)).status_code == 302

    assert admin.post("/settings/sso/policy", {"password_enabled": "on", "saml_enabled": "on"}).status_code == 302
    with schema_context(sp.org.schema):
        assert not LoginPolicy.objects.get().saml_allow_idp_initiated
    other = sp.org.browser()
    assert OFF in other.post("/sso/saml/acs", _unsolicited(sp, idp)).content


def test_the_migration_switches_idp_initiated_sign_in_off_for_existing_organisations(sp):
    import importlib

    from django.apps import apps

    with schema_context(sp.org.schema):
        LoginPolicy.objects.update(saml_allow_idp_initiated=True)
        importlib.import_module("sso.migrations.0003_idp_initiated_off").switch_off(apps, None)
        assert not LoginPolicy.objects.get().saml_allow_idp_initiated
