"""Every SAML response we must refuse, each built by the real test IdP and then broken one way."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django_tenants.utils import schema_context
from lxml import etree

from apps.accounts.models import User
from sso.models import LoginPolicy
from tests.sso.conftest import authn_request_id
from tests.support.saml_idp import DS, SAML, TestIdp, clone, encode, find

pytestmark = pytest.mark.django_db


def _post(client, response):
    data = response if isinstance(response, str) else encode(response)
    return client.post("/sso/saml/acs", {"SAMLResponse": data})


def _refused(client, answer, reason: bytes = b""):
    assert answer.status_code == 403, answer.content[:400]
    assert b"Sign-in refused" in answer.content
    assert reason in answer.content
    assert "_auth_user_id" not in client.session


def _login_response(sp, idp, **kwargs):
    kwargs.setdefault("name_id", "admin@acme.example")
    return idp.login_response(sp_entity_id=sp.entity_id, acs_url=sp.acs, **kwargs)


def test_an_unsigned_response_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    _refused(client, _post(client, _login_response(saml_acme, idp, sign_assertion=False)), b"No Signature found")


def test_a_response_signed_by_another_key_is_refused(saml_acme, idp):
    impostor = TestIdp(entity_id=idp.entity_id, common_name="Impostor")
    client = saml_acme.org.browser()
    response = _login_response(saml_acme, idp, key=impostor.key, cert=impostor.cert)
    _refused(client, _post(client, response), b"Signature validation failed")


def test_an_assertion_whose_content_was_changed_after_signing_is_refused(saml_acme, idp):
    response = _login_response(saml_acme, idp, name_id="intern@acme.example")
    find(response, "saml:Assertion/saml:Subject/saml:NameID").text = "admin@acme.example"
    client = saml_acme.org.browser()
    _refused(client, _post(client, response), b"Signature validation failed")


def test_signature_wrapping_with_a_forged_sibling_assertion_is_refused(saml_acme, idp):
    response = _login_response(saml_acme, idp, name_id="intern@acme.example")
    forged = clone(find(response, "saml:Assertion"))
    forged.remove(find(forged, "ds:Signature"))
    forged.set("ID", "_forged")
    find(forged, "saml:Subject/saml:NameID").text = "admin@acme.example"
    response.insert(2, forged)  # the forged one first, the signed original after it
    client = saml_acme.org.browser()
    _refused(client, _post(client, response))


def test_signature_wrapping_with_the_signed_original_hidden_in_the_signature_is_refused(saml_acme, idp):
    response = _login_response(saml_acme, idp, name_id="intern@acme.example")
    assertion = find(response, "saml:Assertion")
    signature = find(assertion, "ds:Signature")
    original = clone(assertion)
    original.remove(find(original, "ds:Signature"))
    # The digest still matches the hidden original; the assertion the SP would read is the forged one.
    etree.SubElement(signature, f"{{{DS}}}Object").append(original)
    assertion.set("ID", "_forged")
    find(assertion, "saml:Subject/saml:NameID").text = "admin@acme.example"
    client = saml_acme.org.browser()
    _refused(client, _post(client, response))


def test_signature_wrapping_with_the_signed_original_in_extensions_is_refused(saml_acme, idp):
    response = _login_response(saml_acme, idp, name_id="intern@acme.example")
    signed = find(response, "saml:Assertion")
    forged = clone(signed)
    forged.remove(find(forged, "ds:Signature"))
    find(forged, "saml:Subject/saml:NameID").text = "admin@acme.example"
    extensions = etree.Element("{urn:oasis:names:tc:SAML:2.0:protocol}Extensions")
    response.remove(signed)
    extensions.append(signed)
    response.insert(1, extensions)
    response.append(forged)
    client = saml_acme.org.browser()
    _refused(client, _post(client, response))


def test_a_response_for_another_audience_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    response = _login_response(saml_acme, idp, audience="https://elsewhere.example/sp")
    _refused(client, _post(client, response), b"is not a valid audience")


def test_a_response_without_an_audience_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    _refused(client, _post(client, _login_response(saml_acme, idp, audience=None)), b"names no audience")


def test_an_audience_outside_the_signed_assertion_does_not_count(saml_acme, idp):
    # The IdP signed an assertion with no audience; the attacker adds one in an unsigned outer element.
    response = _login_response(saml_acme, idp, audience=None)
    extensions = etree.Element("{urn:oasis:names:tc:SAML:2.0:protocol}Extensions")
    etree.SubElement(extensions, f"{{{SAML}}}Audience").text = saml_acme.entity_id
    response.insert(1, extensions)
    client = saml_acme.org.browser()
    _refused(client, _post(client, response), b"names no audience")


def test_an_audience_in_a_second_injected_assertion_does_not_count(saml_acme, idp):
    response = _login_response(saml_acme, idp, audience=None)
    injected = idp.assertion(audience=saml_acme.entity_id, recipient=saml_acme.acs, name_id="admin@acme.example")
    injected.remove(find(injected, "ds:Signature"))
    response.append(injected)
    client = saml_acme.org.browser()
    _refused(client, _post(client, response), b"SAML Response must contain 1 assertion")


def test_a_response_from_another_issuer_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    assertion = idp.assertion(
        audience=saml_acme.entity_id,
        recipient=saml_acme.acs,
        name_id="admin@acme.example",
        issuer="https://other-idp.example",
    )
    response = idp.response(idp.sign(assertion), destination=saml_acme.acs, issuer="https://other-idp.example")
    response.remove(find(response, "ds:Signature"))
    _refused(client, _post(client, response), b"Invalid issuer")


def test_an_expired_assertion_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    response = _login_response(saml_acme, idp, issued=datetime.now(UTC) - timedelta(minutes=20))
    _refused(client, _post(client, response))


def test_an_assertion_valid_from_four_minutes_ahead_is_accepted_within_the_clock_skew(saml_acme, idp):
    client = saml_acme.org.browser()
    response = _login_response(
        saml_acme,
        idp,
        not_before=datetime.now(UTC) + timedelta(minutes=4),
        not_on_or_after=datetime.now(UTC) + timedelta(minutes=10),
    )
    assert _post(client, response).status_code == 302


def test_an_assertion_valid_from_six_minutes_ahead_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    response = _login_response(
        saml_acme,
        idp,
        not_before=datetime.now(UTC) + timedelta(minutes=6),
        not_on_or_after=datetime.now(UTC) + timedelta(minutes=10),
    )
    _refused(client, _post(client, response))


def test_a_replayed_assertion_is_refused(saml_acme, idp):
    response = _login_response(saml_acme, idp)
    first = saml_acme.org.browser()
    assert _post(first, response).status_code == 302

    second = saml_acme.org.browser()
    _refused(second, _post(second, response), b"already used")


def test_an_assertion_for_acme_is_refused_on_globex_which_trusts_the_same_idp(saml_acme, saml_outsider, idp):
    response = _login_response(saml_acme, idp, name_id="admin@acme.example")
    client = saml_outsider.org.browser()

    _refused(client, _post(client, response))
    with schema_context(saml_outsider.org.schema):
        assert not User.objects.filter(email="admin@acme.example").exists()


def test_an_assertion_for_acme_addressed_to_globex_acs_is_still_refused_by_audience(saml_acme, saml_outsider, idp):
    response = idp.login_response(
        sp_entity_id=saml_acme.entity_id, acs_url=saml_outsider.acs, name_id="admin@globex.example"
    )
    client = saml_outsider.org.browser()
    _refused(client, _post(client, response), b"is not a valid audience")


def test_a_response_to_a_request_this_browser_never_made_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    response = _login_response(saml_acme, idp, in_response_to="_a_request_made_elsewhere")
    _refused(client, _post(client, response), b"not started from this browser")


def test_a_response_to_a_different_request_than_ours_is_refused(saml_acme, idp):
    client = saml_acme.org.browser()
    authn_request_id(client.get("/sso/saml/login")["Location"])
    response = _login_response(saml_acme, idp, in_response_to="_another_request")
    _refused(client, _post(client, response), b"InResponseTo")


def test_unsolicited_responses_are_refused_when_idp_initiated_sign_in_is_off(saml_acme, idp):
    with schema_context(saml_acme.org.schema):
        LoginPolicy.objects.update(saml_allow_idp_initiated=False)
    client = saml_acme.org.browser()
    _refused(client, _post(client, _login_response(saml_acme, idp)), b"IdP-initiated sign-in is off")


def test_a_sha1_signature_is_refused(saml_acme, idp):
    assertion = idp.assertion(audience=saml_acme.entity_id, recipient=saml_acme.acs, name_id="admin@acme.example")
    response = idp.response(idp.sign(assertion, sha1=True), destination=saml_acme.acs)
    response.remove(find(response, "ds:Signature"))
    client = saml_acme.org.browser()
    _refused(client, _post(client, response))


def test_a_response_with_a_doctype_is_refused_before_parsing(saml_acme, idp):
    xml = etree.tostring(_login_response(saml_acme, idp))
    evil = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + xml
    client = saml_acme.org.browser()
    _refused(client, _post(client, base64.b64encode(evil).decode()), b"not valid")


def test_a_signature_with_an_xslt_transform_is_refused_before_xmlsec_runs(saml_acme, idp):
    response = _login_response(saml_acme, idp)
    transforms = find(response, "saml:Assertion/ds:Signature/ds:SignedInfo/ds:Reference/ds:Transforms")
    etree.SubElement(transforms, f"{{{DS}}}Transform", Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116")
    client = saml_acme.org.browser()
    _refused(client, _post(client, response), b"signature transform")


def test_a_comment_inside_the_name_id_never_yields_the_shorter_address(saml_acme, idp):
    assertion = idp.assertion(audience=saml_acme.entity_id, recipient=saml_acme.acs, name_id="admin@acme.example")
    name_id = assertion.find(f"{{{SAML}}}Subject/{{{SAML}}}NameID")
    comment = etree.Comment("")
    comment.tail = ".evil.example"
    name_id.append(comment)
    response = idp.response(idp.sign(assertion), destination=saml_acme.acs)
    response.remove(find(response, "ds:Signature"))
    client = saml_acme.org.browser()

    _post(client, response)

    with schema_context(saml_acme.org.schema):
        assert client.session.get("_auth_user_id") != str(saml_acme.org.admin.pk)
