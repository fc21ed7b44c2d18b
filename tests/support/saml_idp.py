"""A real SAML 2.0 identity provider for tests: its own RSA key and certificate (cryptography),
responses and assertions built as XML and signed with signxml (an implementation independent of
python3-saml, which verifies them on our side)."""

import base64
import copy
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from urllib.parse import quote_plus

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import SignatureMethod

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
NSMAP = {"samlp": SAMLP, "saml": SAML}
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


def key_and_certificate(common_name: str = "Test IdP"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _new_id() -> str:
    return "_" + uuid.uuid4().hex


class TestIdp:
    __test__ = False  # not a pytest class

    def __init__(self, entity_id: str = "https://idp.example/metadata", common_name: str = "Test IdP"):
        self.entity_id = entity_id
        self.sso_url = "https://idp.example/sso"
        self.slo_url = "https://idp.example/slo"
        self.key, self.cert = key_and_certificate(common_name)

    @property
    def cert_pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    def metadata(self) -> str:
        body = "".join(line for line in self.cert_pem.splitlines() if "-----" not in line)
        return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="{MD}" xmlns:ds="{DS}" entityID="{self.entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="{SAMLP}">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{self.slo_url}"/>
    <md:NameIDFormat>{EMAIL_FORMAT}</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{self.sso_url}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""

    # --- building ---------------------------------------------------------------------------------

    def assertion(
        self,
        *,
        audience: str | None,
        recipient: str,
        name_id: str,
        in_response_to: str | None = None,
        attributes: dict | None = None,
        issued: datetime | None = None,
        not_before: datetime | None = None,
        not_on_or_after: datetime | None = None,
        issuer: str | None = None,
    ) -> etree._Element:
        issued = issued or datetime.now(UTC)
        not_before = not_before or issued - timedelta(seconds=30)
        not_on_or_after = not_on_or_after or issued + timedelta(minutes=5)
        assertion = etree.Element(
            f"{{{SAML}}}Assertion", nsmap=NSMAP, ID=_new_id(), Version="2.0", IssueInstant=_stamp(issued)
        )
        etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = issuer or self.entity_id
        etree.SubElement(assertion, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
        subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
        etree.SubElement(subject, f"{{{SAML}}}NameID", Format=EMAIL_FORMAT).text = name_id
        confirmation = etree.SubElement(
            subject, f"{{{SAML}}}SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
        )
        data = etree.SubElement(
            confirmation,
            f"{{{SAML}}}SubjectConfirmationData",
            NotOnOrAfter=_stamp(not_on_or_after),
            Recipient=recipient,
        )
        if in_response_to:
            data.set("InResponseTo", in_response_to)
        conditions = etree.SubElement(
            assertion, f"{{{SAML}}}Conditions", NotBefore=_stamp(not_before), NotOnOrAfter=_stamp(not_on_or_after)
        )
        if audience is not None:
            restriction = etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction")
            etree.SubElement(restriction, f"{{{SAML}}}Audience").text = audience
        statement = etree.SubElement(
            assertion, f"{{{SAML}}}AuthnStatement", AuthnInstant=_stamp(issued), SessionIndex=_new_id()
        )
        context = etree.SubElement(statement, f"{{{SAML}}}AuthnContext")
        etree.SubElement(
            context, f"{{{SAML}}}AuthnContextClassRef"
        ).text = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        if attributes:
            attrs = etree.SubElement(assertion, f"{{{SAML}}}AttributeStatement")
            for name, values in attributes.items():
                attr = etree.SubElement(attrs, f"{{{SAML}}}Attribute", Name=name)
                for value in values if isinstance(values, list) else [values]:
                    etree.SubElement(attr, f"{{{SAML}}}AttributeValue").text = value
        return assertion

    def response(
        self,
        assertion: etree._Element,
        *,
        destination: str | None,
        in_response_to: str | None = None,
        issuer: str | None = None,
    ) -> etree._Element:
        response = etree.Element(
            f"{{{SAMLP}}}Response", nsmap=NSMAP, ID=_new_id(), Version="2.0", IssueInstant=_stamp(datetime.now(UTC))
        )
        if destination:
            response.set("Destination", destination)
        if in_response_to:
            response.set("InResponseTo", in_response_to)
        etree.SubElement(response, f"{{{SAML}}}Issuer").text = issuer or self.entity_id
        etree.SubElement(response, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
        status = etree.SubElement(response, f"{{{SAMLP}}}Status")
        etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success")
        response.append(assertion)
        return response

    # --- signing ----------------------------------------------------------------------------------

    def sign(self, element: etree._Element, *, key=None, cert=None, sha1: bool = False) -> etree._Element:
        """Sign `element` in place (enveloped, exc-c14n), where its placeholder Signature sits."""
        signer = _Sha1Signer if sha1 else XMLSigner
        kwargs = (
            {"signature_algorithm": SignatureMethod.RSA_SHA1, "digest_algorithm": "sha1"}
            if sha1
            else {"signature_algorithm": SignatureMethod.RSA_SHA256, "digest_algorithm": "sha256"}
        )
        signed = signer(c14n_algorithm=EXC_C14N, **kwargs).sign(element, key=key or self.key, cert=[cert or self.cert])
        return signed

    def login_response(
        self,
        *,
        sp_entity_id: str,
        acs_url: str,
        name_id: str,
        in_response_to: str | None = None,
        sign_assertion: bool = True,
        sign_response: bool = False,
        attributes: dict | None = None,
        audience: str | None = "__sp__",
        key=None,
        cert=None,
        **assertion_kwargs,
    ) -> etree._Element:
        assertion = self.assertion(
            audience=sp_entity_id if audience == "__sp__" else audience,
            recipient=acs_url,
            name_id=name_id,
            in_response_to=in_response_to,
            attributes=attributes,
            **assertion_kwargs,
        )
        if sign_assertion:
            assertion = self.sign(assertion, key=key, cert=cert)
        else:
            _drop_placeholder(assertion)
        response = self.response(assertion, destination=acs_url, in_response_to=in_response_to)
        if sign_response:
            response = self.sign(response, key=key, cert=cert)
        else:
            _drop_placeholder(response)
        return response

    # --- single logout (HTTP-Redirect binding) -----------------------------------------------------

    def logout_request(self, *, destination: str, name_id: str, issuer: str | None = None) -> etree._Element:
        request = etree.Element(
            f"{{{SAMLP}}}LogoutRequest",
            nsmap=NSMAP,
            ID=_new_id(),
            Version="2.0",
            IssueInstant=_stamp(datetime.now(UTC)),
            Destination=destination,
        )
        etree.SubElement(request, f"{{{SAML}}}Issuer").text = issuer or self.entity_id
        etree.SubElement(request, f"{{{SAML}}}NameID", Format=EMAIL_FORMAT).text = name_id
        return request

    def logout_response(self, *, destination: str, in_response_to: str | None = None) -> etree._Element:
        response = etree.Element(
            f"{{{SAMLP}}}LogoutResponse",
            nsmap=NSMAP,
            ID=_new_id(),
            Version="2.0",
            IssueInstant=_stamp(datetime.now(UTC)),
            Destination=destination,
        )
        if in_response_to:
            response.set("InResponseTo", in_response_to)
        etree.SubElement(response, f"{{{SAML}}}Issuer").text = self.entity_id
        status = etree.SubElement(response, f"{{{SAMLP}}}Status")
        etree.SubElement(status, f"{{{SAMLP}}}StatusCode", Value="urn:oasis:names:tc:SAML:2.0:status:Success")
        return response

    def redirect_query(
        self,
        message: etree._Element,
        *,
        parameter: str = "SAMLRequest",
        relay_state: str | None = None,
        sign: bool = True,
        key=None,
        sha1: bool = False,
    ) -> str:
        """The query string of the HTTP-Redirect binding: DEFLATE + base64, signed over the raw
        `SAMLRequest=...&RelayState=...&SigAlg=...` bytes as SAML bindings 3.4.4.1 asks."""
        compressor = zlib.compressobj(wbits=-15)
        deflated = compressor.compress(etree.tostring(message)) + compressor.flush()
        parts = [f"{parameter}={quote_plus(base64.b64encode(deflated).decode())}"]
        if relay_state is not None:
            parts.append(f"RelayState={quote_plus(relay_state)}")
        if not sign:
            return "&".join(parts)
        algorithm = (
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
            if sha1
            else "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        )
        parts.append(f"SigAlg={quote_plus(algorithm)}")
        signed = "&".join(parts).encode()
        signature = (key or self.key).sign(signed, padding.PKCS1v15(), hashes.SHA1() if sha1 else hashes.SHA256())
        return "&".join(parts) + f"&Signature={quote_plus(base64.b64encode(signature).decode())}"


class _Sha1Signer(XMLSigner):
    def check_deprecated_methods(self):  # the test IdP may sign with SHA-1 to prove we refuse it
        return None


def _drop_placeholder(element):
    for child in element:
        if child.tag == f"{{{DS}}}Signature" and child.get("Id") == "placeholder":
            element.remove(child)
            return


def encode(element: etree._Element) -> str:
    return base64.b64encode(etree.tostring(element)).decode()


def find(element, path: str):
    return element.find(path, namespaces={"samlp": SAMLP, "saml": SAML, "ds": DS})


def clone(element):
    return copy.deepcopy(element)
