"""Our own SAML messages, signed when the IdP asks for it (its metadata's WantAuthnRequestsSigned).

Each organisation gets an SP key pair: the certificate is in our SP metadata, the private key is a
sealed value of apps.secrets. The signatures are checked here with `cryptography` against the
certificate our metadata publishes, over the raw HTTP-Redirect query (SAML bindings 3.4.4.1).
"""

import base64
from urllib.parse import unquote, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from django_tenants.utils import schema_context
from lxml import etree

from apps.secrets.models import SealedValue
from apps.secrets.services import sealed_value_get
from sso.models import SamlIdentityProvider
from sso.services import saml_sp_key_ensure
from tests.sso.conftest import plan_set
from tests.support.saml_idp import DS, encode

pytestmark = pytest.mark.django_db
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


def _our_certificate(client) -> x509.Certificate:
    metadata = etree.fromstring(client.get("/sso/saml/metadata").content)
    body = metadata.find(f".//{{{DS}}}X509Certificate").text
    return x509.load_der_x509_certificate(base64.b64decode("".join(body.split())))


def _verify_redirect(location: str, certificate: x509.Certificate, parameter: str) -> None:
    query = urlsplit(location).query
    parts = dict(part.split("=", 1) for part in query.split("&"))
    assert unquote(parts["SigAlg"]) == RSA_SHA256
    signed = "&".join(f"{name}={parts[name]}" for name in (parameter, "RelayState", "SigAlg") if name in parts)
    certificate.public_key().verify(
        base64.b64decode(unquote(parts["Signature"])), signed.encode(), padding.PKCS1v15(), hashes.SHA256()
    )


@pytest.fixture
def signing_acme(saml_acme):
    with schema_context(saml_acme.org.schema):
        SamlIdentityProvider.objects.update(sign_requests=True)
        saml_sp_key_ensure()
    return saml_acme


def _admin(org):
    client = org.browser()
    with schema_context(org.schema):
        client.force_login(org.admin, backend="sso.auth.TenantModelBackend")
    return client


def test_idp_metadata_asking_for_signed_requests_turns_signing_on(acme, idp):
    plan_set(acme, "business")
    admin = _admin(acme)
    metadata = idp.metadata().replace("<md:IDPSSODescriptor ", '<md:IDPSSODescriptor WantAuthnRequestsSigned="true" ')

    assert admin.post("/settings/sso/saml", {"metadata_xml": metadata}).status_code == 302

    with schema_context(acme.schema):
        assert SamlIdentityProvider.objects.get().sign_requests
    ours = acme.browser().get("/sso/saml/metadata")
    assert b'AuthnRequestsSigned="true"' in ours.content and b'use="signing"' in ours.content
    assert b"PRIVATE KEY" not in ours.content
    assert 'id="id_sign_requests" checked' in admin.get("/settings/sso").content.decode()


def test_the_sp_private_key_is_sealed_and_never_shown(signing_acme):
    with schema_context(signing_acme.org.schema):
        assert SealedValue.objects.filter(purpose="sso.saml.sp_private_key").exists()
        private_key = sealed_value_get(purpose="sso.saml.sp_private_key")
    assert private_key.startswith("-----BEGIN PRIVATE KEY-----")
    body = "".join(private_key.splitlines()[1:3]).encode()
    for path in ("/sso/saml/metadata", "/settings/sso"):
        page = _admin(signing_acme.org).get(path)
        assert page.status_code == 200 and body not in page.content and b"PRIVATE KEY" not in page.content


def test_sp_initiated_sign_in_sends_a_signed_authn_request(signing_acme, idp):
    client = signing_acme.org.browser()

    start = client.get("/sso/saml/login?next=/settings")

    assert start.status_code == 302 and "&Signature=" in start["Location"]
    _verify_redirect(start["Location"], _our_certificate(client), "SAMLRequest")


def test_signing_out_sends_the_idp_a_signed_logout_request(signing_acme, idp):
    client = signing_acme.org.browser()
    client.post(
        "/sso/saml/acs",
        {
            "SAMLResponse": encode(
                idp.login_response(
                    sp_entity_id=signing_acme.entity_id, acs_url=signing_acme.acs, name_id="admin@acme.example"
                )
            )
        },
    )

    answer = client.post("/sso/saml/logout")

    assert answer.status_code == 302 and answer["Location"].startswith(idp.slo_url + "?SAMLRequest=")
    _verify_redirect(answer["Location"], _our_certificate(client), "SAMLRequest")


def test_our_answer_to_the_idps_logout_request_is_signed(signing_acme, idp):
    client = _admin(signing_acme.org)
    message = idp.logout_request(
        destination=f"http://{signing_acme.org.host}/sso/saml/sls", name_id="admin@acme.example"
    )

    answer = client.get("/sso/saml/sls?" + idp.redirect_query(message, relay_state="r"))

    assert answer.status_code == 302 and "SAMLResponse=" in answer["Location"]
    _verify_redirect(answer["Location"], _our_certificate(client), "SAMLResponse")


def test_nothing_is_signed_when_the_idp_does_not_ask(saml_acme):
    start = saml_acme.org.browser().get("/sso/saml/login")

    assert start.status_code == 302 and "Signature=" not in start["Location"]
