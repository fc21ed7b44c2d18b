"""SAML sign-in finds a SCIM-provisioned person by NameID = externalId first, then by email
(docs/scim.md): the directory's id outlives an email change, and a NameID that names nobody falls
back to the email as before. Another organisation's person with the same externalId is never it."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import User
from sso.models import SamlIdentityProvider
from tests.sso.test_saml_login import _post

pytestmark = pytest.mark.django_db


def _provisioned(org, *, email: str, external_id: str) -> User:
    with schema_context(org.schema):
        user = services.user_add(actor=None, email=email, name="Alex")
        return services.user_scim_attributes_set(actor=None, user=user, external_idp_id=external_id)


def _email_from_attribute(org) -> None:
    with schema_context(org.schema):
        SamlIdentityProvider.objects.update(attr_email="email")


def test_the_nameid_matches_the_externalid_before_the_email(saml_acme, saml_outsider, idp):
    alex = _provisioned(saml_acme.org, email="alex@acme.example", external_id="00uOKTA1")
    namesake = _provisioned(saml_acme.org, email="renamed@acme.example", external_id="other")
    _provisioned(saml_outsider.org, email="alex@globex.example", external_id="00uOKTA1")
    _email_from_attribute(saml_acme.org)
    client = saml_acme.org.browser()
    # The IdP renamed Alex's email to one that belongs to someone else here: the id decides.
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id,
        acs_url=saml_acme.acs,
        name_id="00uOKTA1",
        attributes={"email": ["renamed@acme.example"], "name": ["Alex"]},
    )

    answer = _post(client, response)

    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(alex.pk) != str(namesake.pk)
    with schema_context(saml_acme.org.schema):
        assert User.objects.filter(email="alex@acme.example").count() == 1
        assert User.objects.get(pk=alex.pk).email == "alex@acme.example"  # SCIM owns the email


def test_a_nameid_naming_nobody_falls_back_to_the_email(saml_acme, idp):
    alex = _provisioned(saml_acme.org, email="alex@acme.example", external_id="00uOKTA1")
    _email_from_attribute(saml_acme.org)
    client = saml_acme.org.browser()
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id,
        acs_url=saml_acme.acs,
        name_id="some-persistent-id",
        attributes={"email": ["alex@acme.example"], "name": ["Alex"]},
    )

    assert _post(client, response).status_code == 302
    assert client.session["_auth_user_id"] == str(alex.pk)


def test_a_deactivated_person_found_by_nameid_is_refused(saml_acme, idp):
    alex = _provisioned(saml_acme.org, email="alex@acme.example", external_id="00uOKTA1")
    with schema_context(saml_acme.org.schema):
        services.user_deactivate(actor=None, user=alex)
    _email_from_attribute(saml_acme.org)
    client = saml_acme.org.browser()
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id,
        acs_url=saml_acme.acs,
        name_id="00uOKTA1",
        attributes={"email": ["new-address@acme.example"], "name": ["Alex"]},
    )

    answer = _post(client, response)

    assert answer.status_code == 403
    assert "This account is disabled. Ask an administrator of your organisation." in answer.content.decode()
    assert "_auth_user_id" not in client.session
    with schema_context(saml_acme.org.schema):
        assert not User.objects.filter(email="new-address@acme.example").exists()
