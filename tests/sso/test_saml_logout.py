"""Single logout from the IdP: its LogoutRequest and LogoutResponse must be signed, by its key.

The test IdP builds the messages and signs them for the HTTP-Redirect binding over the raw query
string (SAML bindings 3.4.4.1), independently of python3-saml, which checks them on our side.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context

from tests.support.saml_idp import TestIdp

pytestmark = pytest.mark.django_db
REFUSED = b"The identity provider&#x27;s logout message was refused."


def _sls(sp) -> str:
    return f"http://{sp.org.host}/sso/saml/sls"


@pytest.fixture
def signed_in(saml_acme):
    client = saml_acme.org.browser()
    with schema_context(saml_acme.org.schema):
        client.force_login(saml_acme.org.admin, backend="sso.auth.TenantModelBackend")
    return client


def _refused(client, answer):
    assert answer.status_code == 400, answer.content[:300]
    assert REFUSED in answer.content
    # Nothing happened: the person is still signed in.
    assert "_auth_user_id" in client.session


def test_a_signed_logout_request_from_the_idp_signs_the_person_out_and_answers_it(saml_acme, idp, signed_in):
    message = idp.logout_request(destination=_sls(saml_acme), name_id="admin@acme.example")

    answer = signed_in.get("/sso/saml/sls?" + idp.redirect_query(message, relay_state="r1"))

    assert answer.status_code == 302 and answer["Location"].startswith(idp.slo_url + "?")
    query = parse_qs(urlsplit(answer["Location"]).query)
    assert query["SAMLResponse"] and query["RelayState"] == ["r1"]
    assert "_auth_user_id" not in signed_in.session


def test_an_unsigned_logout_request_is_refused(saml_acme, idp, signed_in):
    message = idp.logout_request(destination=_sls(saml_acme), name_id="admin@acme.example")

    _refused(signed_in, signed_in.get("/sso/saml/sls?" + idp.redirect_query(message, sign=False)))


def test_a_logout_request_signed_by_another_key_is_refused(saml_acme, idp, signed_in):
    impostor = TestIdp(entity_id=idp.entity_id, common_name="Impostor")
    message = impostor.logout_request(destination=_sls(saml_acme), name_id="admin@acme.example")

    _refused(signed_in, signed_in.get("/sso/saml/sls?" + impostor.redirect_query(message)))


def test_a_logout_request_swapped_under_a_valid_signature_is_refused(saml_acme, idp, signed_in):
    signed = idp.redirect_query(idp.logout_request(destination=_sls(saml_acme), name_id="someone@acme.example"))
    forged = idp.redirect_query(
        idp.logout_request(destination=_sls(saml_acme), name_id="admin@acme.example"), sign=False
    )
    signature = signed.split("&SigAlg=", 1)[1]

    _refused(signed_in, signed_in.get(f"/sso/saml/sls?{forged}&SigAlg={signature}"))


def test_a_logout_request_with_a_stripped_signature_is_refused(saml_acme, idp, signed_in):
    query = idp.redirect_query(idp.logout_request(destination=_sls(saml_acme), name_id="admin@acme.example"))
    stripped = "&".join(p for p in query.split("&") if not p.startswith("Signature="))

    _refused(signed_in, signed_in.get("/sso/saml/sls?" + stripped))


def test_a_sha1_signed_logout_request_is_refused(saml_acme, idp, signed_in):
    message = idp.logout_request(destination=_sls(saml_acme), name_id="admin@acme.example")

    _refused(signed_in, signed_in.get("/sso/saml/sls?" + idp.redirect_query(message, sha1=True)))


def test_a_logout_request_for_another_organisations_sp_is_refused(saml_acme, saml_outsider, idp, signed_in):
    message = idp.logout_request(destination=_sls(saml_outsider), name_id="admin@acme.example")

    _refused(signed_in, signed_in.get("/sso/saml/sls?" + idp.redirect_query(message)))


def test_a_signed_logout_response_completes_the_logout(saml_acme, idp, signed_in):
    message = idp.logout_response(destination=_sls(saml_acme), in_response_to="_our_request")

    answer = signed_in.get("/sso/saml/sls?" + idp.redirect_query(message, parameter="SAMLResponse"))

    assert answer.status_code == 302 and answer["Location"] == "/login"


def test_an_unsigned_logout_response_is_refused(saml_acme, idp, signed_in):
    message = idp.logout_response(destination=_sls(saml_acme), in_response_to="_our_request")

    _refused(
        signed_in, signed_in.get("/sso/saml/sls?" + idp.redirect_query(message, parameter="SAMLResponse", sign=False))
    )


def test_a_logout_response_signed_by_another_key_is_refused(saml_acme, idp, signed_in):
    impostor = TestIdp(entity_id=idp.entity_id, common_name="Impostor")
    message = impostor.logout_response(destination=_sls(saml_acme), in_response_to="_our_request")

    _refused(signed_in, signed_in.get("/sso/saml/sls?" + impostor.redirect_query(message, parameter="SAMLResponse")))
