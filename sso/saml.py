"""SAML 2.0 with python3-saml: per-organisation settings, the checks around it, metadata.

python3-saml (strict mode) checks the XML schema, the signature (response or assertion; an
unsigned response is always refused), the single assertion (signature wrapping), Audience,
Destination, Recipient, Issuer, NotBefore/NotOnOrAfter with its 300 s skew, and InResponseTo when
we give it our request ID. We add what it leaves to the application:
- a response carrying InResponseTo must answer a request this browser made (no silent downgrade
  to an unsolicited response), and unsolicited responses only when the admin allows IdP-initiated;
- an assertion with no Audience is refused (audience binds it to this organisation's SP);
- every assertion ID is used once (sso.services.saml_assertion_consume);
- DOCTYPEs and signature transforms outside the SAML profile are refused before xmlsec sees the
  document (XXE and the XSLT-transform DoS, python3-saml #447).
"""

import base64
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db import connection
from lxml import etree
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from sso import queries
from sso.errors import SsoError
from sso.models import SamlIdentityProvider
from sso.services import saml_assertion_consume

REQUEST_COOKIE = "cb_saml_request"
MAX_RESPONSE_BYTES = 256 * 1024
MAX_METADATA_BYTES = 1024 * 1024
ALLOWED_TRANSFORMS = {
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
}
DS = "http://www.w3.org/2000/09/xmldsig#"


def sp_base_url(request) -> str:
    # A fixed public URL (self-hosted behind a proxy) wins over the request's host.
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{request.scheme}://{request.get_host()}"


def sp_urls(request) -> dict:
    base = sp_base_url(request)
    return {
        "entity_id": f"{base}/sso/saml/metadata",
        "acs": f"{base}/sso/saml/acs",
        "sls": f"{base}/sso/saml/sls",
        "login": f"{base}/sso/saml/login",
    }


def request_data(request) -> dict:
    """What python3-saml needs to know about the request, derived like our own SP URLs."""
    parts = urlsplit(sp_base_url(request))
    return {
        "https": "on" if parts.scheme == "https" else "off",
        "http_host": parts.netloc,  # host[:port], exactly as in our entity ID and ACS URL
        "script_name": request.path,
        "get_data": request.GET.copy(),
        "post_data": request.POST.copy(),
        # HTTP-Redirect signatures (single logout) are checked over the query string exactly as sent,
        # not over a re-encoding of the decoded parameters.
        "query_string": request.META.get("QUERY_STRING", ""),
        "validate_signature_from_qs": True,
    }


def settings_dict(request, idp: SamlIdentityProvider | None, *, logout: bool = False) -> dict:
    """python3-saml's settings for this organisation.

    `logout=True` is for the IdP's single-logout messages (sso/saml/sls): those must carry a valid
    signature, since an unsigned LogoutRequest is a forgeable "sign this person out" link.
    """
    urls = sp_urls(request)
    data = {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": urls["entity_id"],
            "assertionConsumerService": {"url": urls["acs"], "binding": C.BINDING_HTTP_POST},
            "singleLogoutService": {"url": urls["sls"], "binding": C.BINDING_HTTP_REDIRECT},
            "NameIDFormat": C.NAMEID_EMAIL_ADDRESS,
        },
        "security": {
            "authnRequestsSigned": False,
            # Sign-in: either the response or the assertion must be signed (see module doc);
            # single logout: the message itself (its HTTP-Redirect signature), always.
            "wantMessagesSigned": logout,
            "wantAssertionsSigned": False,
            "wantNameId": True,
            "wantAttributeStatement": False,  # some IdPs send only a NameID
            "requestedAuthnContext": False,  # let the IdP decide (MFA, passkeys...)
            "rejectDeprecatedAlgorithm": True,  # no SHA-1 signatures or digests
            "signatureAlgorithm": C.RSA_SHA256,
            "digestAlgorithm": C.SHA256,
            "wantXMLValidation": True,
        },
    }
    sign = bool(idp and idp.sign_requests)
    certificate = queries.saml_sp_certificate()
    if certificate:
        data["sp"]["x509cert"] = certificate  # published in our metadata as the signing key
    if sign:
        private_key = queries.saml_sp_private_key()
        if not (certificate and private_key):
            raise SsoError(
                "This organisation's SAML signing key cannot be read. An administrator can save the "
                "identity provider again under Settings > SSO."
            )
        data["sp"]["privateKey"] = private_key
        # What the IdP asked for (WantAuthnRequestsSigned): our requests and logout messages signed.
        data["security"].update(authnRequestsSigned=True, logoutRequestSigned=True, logoutResponseSigned=True)
    if idp is not None:
        data["idp"] = {
            "entityId": idp.entity_id,
            "singleSignOnService": {"url": idp.sso_url, "binding": C.BINDING_HTTP_REDIRECT},
            "x509cert": idp.x509_cert,
        }
        if idp.slo_url:
            data["idp"]["singleLogoutService"] = {"url": idp.slo_url, "binding": C.BINDING_HTTP_REDIRECT}
    return data


def auth_for(request, idp: SamlIdentityProvider, *, logout: bool = False) -> OneLogin_Saml2_Auth:
    return OneLogin_Saml2_Auth(request_data(request), old_settings=settings_dict(request, idp, logout=logout))


def sp_metadata(request, idp: SamlIdentityProvider | None = None) -> bytes:
    saml_settings = OneLogin_Saml2_Settings(settings_dict(request, None), sp_validation_only=True)
    metadata = saml_settings.get_sp_metadata()
    metadata = metadata if isinstance(metadata, bytes) else metadata.encode()
    if idp is not None and idp.sign_requests:
        # Said here rather than through python3-saml's settings, which would want the private key
        # decrypted just to print a public document.
        metadata = metadata.replace(b'AuthnRequestsSigned="false"', b'AuthnRequestsSigned="true"', 1)
    return metadata


# --- Request tracking (InResponseTo) ----------------------------------------------------------------
# The IdP POSTs the response cross-site, so the Lax session cookie is not sent with it. The request ID
# travels in its own signed, tenant-bound cookie (SameSite=None) that lives only for the round trip.


def request_cookie_value(request_id: str) -> str:
    return signing.dumps({"id": request_id, "t": connection.schema_name}, salt=REQUEST_COOKIE)


def request_id_from_cookie(request) -> str | None:
    raw = request.COOKIES.get(REQUEST_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=REQUEST_COOKIE, max_age=settings.SSO_SAML_REQUEST_MAX_AGE)
    except signing.BadSignature:
        return None
    return data.get("id") if data.get("t") == connection.schema_name else None


# --- Response processing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SamlIdentity:
    email: str
    name: str
    groups: list[str]
    name_id: str
    name_id_format: str | None
    session_index: str | None


def response_precheck(encoded: str) -> None:
    """Refuse what has no place in a SAML response before the signature library parses it."""
    if len(encoded) > MAX_RESPONSE_BYTES * 4 // 3 + 4:
        raise SsoError("The sign-in response is too large.")
    try:
        raw = base64.b64decode(encoded, validate=False)
    except ValueError as exc:
        raise SsoError("The sign-in response is not valid.") from exc
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise SsoError("The sign-in response is not valid.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise SsoError("The sign-in response is not valid.") from exc
    for transform in root.iter(f"{{{DS}}}Transform"):
        if transform.get("Algorithm") not in ALLOWED_TRANSFORMS:
            raise SsoError("The sign-in response uses a signature transform we do not accept.")


def response_process(request, *, idp: SamlIdentityProvider, allow_idp_initiated: bool) -> SamlIdentity:
    """Validate the POSTed SAMLResponse and return who it identifies, or raise SsoError."""

    encoded = request.POST.get("SAMLResponse", "")
    if not encoded:
        raise SsoError("No sign-in response was received.")
    response_precheck(encoded)
    request_id = request_id_from_cookie(request)
    auth = auth_for(request, idp)
    auth.process_response(request_id=request_id)
    if auth.get_errors():
        # The reason names the failed check (never the assertion's content).
        raise SsoError(f"The identity provider's response was refused: {auth.get_last_error_reason()}")
    in_response_to = auth.get_last_response_in_response_to()
    if in_response_to is not None and in_response_to != request_id:
        raise SsoError("This response answers a sign-in that was not started from this browser.")
    if in_response_to is None and not allow_idp_initiated:
        raise SsoError("Sign-in must start from this site (IdP-initiated sign-in is off).")
    _require_audience(auth, encoded)
    saml_assertion_consume(assertion_id=auth.get_last_assertion_id(), not_on_or_after=_expiry(auth))
    return _identity(auth, idp)


def _require_audience(auth, encoded: str) -> None:
    """The signed assertion must name an audience (python3-saml accepts none at all).

    Read through python3-saml's own query of the *signed* assertion (or the assertion of a signed
    response), never by searching the document: an Audience in an unsigned outer element, or in a
    second, injected assertion, must not stand in for one the IdP signed.
    """
    audiences = OneLogin_Saml2_Response(auth.get_settings(), encoded).get_audiences()
    if not any(a.strip() for a in audiences):
        raise SsoError("The identity provider's response names no audience.")


def _expiry(auth):
    from datetime import UTC, datetime

    stamp = auth.get_last_assertion_not_on_or_after() or auth.get_session_expiration()
    return datetime.fromtimestamp(stamp, tz=UTC) if stamp else None


def _first(values) -> str:
    if isinstance(values, list):
        return values[0] if values else ""
    return values or ""


def _identity(auth, idp: SamlIdentityProvider) -> SamlIdentity:
    attributes = auth.get_attributes()
    name_id = auth.get_nameid() or ""
    email = _first(attributes.get(idp.attr_email)) if idp.attr_email else name_id
    email = email.strip()
    if "@" not in email or len(email) > 254:
        raise SsoError("The identity provider did not send an email address.")
    name = _first(attributes.get(idp.attr_name)) if idp.attr_name else ""
    groups = list(attributes.get(idp.attr_groups) or []) if idp.attr_groups else []
    return SamlIdentity(
        email=email,
        name=name,
        groups=groups,
        name_id=name_id,
        name_id_format=auth.get_nameid_format(),
        session_index=auth.get_session_index(),
    )


# --- IdP metadata --------------------------------------------------------------------------------------


def metadata_parse(xml: str | bytes) -> dict:
    """Entity ID, SSO/SLO URLs and signing certificate from IdP metadata XML."""
    if isinstance(xml, str):
        xml = xml.encode()
    if b"<!DOCTYPE" in xml.upper():
        raise SsoError("The metadata must not contain a DOCTYPE.")
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(
            xml, required_sso_binding=C.BINDING_HTTP_REDIRECT, required_slo_binding=C.BINDING_HTTP_REDIRECT
        )
    except Exception as exc:  # the parser raises bare Exceptions on malformed XML
        raise SsoError("The metadata could not be read as SAML IdP metadata.") from exc
    idp = parsed.get("idp") or {}
    cert = idp.get("x509cert") or ((idp.get("x509certMulti") or {}).get("signing") or [""])[0]
    result = {
        "entity_id": idp.get("entityId", ""),
        "sso_url": (idp.get("singleSignOnService") or {}).get("url", ""),
        "slo_url": (idp.get("singleLogoutService") or {}).get("url", ""),
        "x509_cert": cert,
    }
    descriptor = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True)).find(
        ".//{urn:oasis:names:tc:SAML:2.0:metadata}IDPSSODescriptor"
    )
    if descriptor is not None and descriptor.get("WantAuthnRequestsSigned", "").strip() in ("true", "1"):
        result["sign_requests"] = True
    if not (result["entity_id"] and result["sso_url"] and result["x509_cert"]):
        raise SsoError("The metadata lacks an entity ID, an HTTP-Redirect sign-in URL or a signing certificate.")
    return result


def metadata_fetch(url: str) -> str:
    """Download IdP metadata through the product's one outbound client (apps.core.outbound): https
    to a public address (the IPv6 forms of internal IPv4 addresses included), connection pinned to
    the checked address, no redirects, one deadline, bounded size (SSRF)."""
    from apps.core import outbound

    allow_private = settings.SSO_METADATA_ALLOW_PRIVATE
    policy = outbound.Policy(
        schemes=("https", "http") if allow_private else ("https",), private_allowed=lambda address: allow_private
    )
    try:
        destination = outbound.destination_check(url, policy)
    except outbound.DestinationRefused as exc:
        if urlsplit(url).scheme not in policy.schemes:
            raise SsoError("The metadata URL must use https.") from exc
        raise SsoError("The metadata URL must point at a public host.") from exc
    try:
        response = outbound.request(
            "GET",
            url,
            policy=policy,
            checked=destination,
            connect_timeout=5,
            total_timeout=10,
            body_limit=MAX_METADATA_BYTES,
        )
    except outbound.OutboundError as exc:
        raise SsoError("The metadata URL could not be reached.") from exc
    if response.status != 200:
        raise SsoError(f"The metadata URL answered HTTP {response.status}.")
    if response.truncated:
        raise SsoError("The metadata is too large.")
    return response.body.decode("utf-8", errors="replace")
