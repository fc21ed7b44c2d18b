"""The X.509 pieces of SAML that need no SAML library: our service provider's signing key pair,
and an identity provider's certificate as an admin pastes it (PEM or bare base64)."""

import base64
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from sso.errors import SsoError


def sp_key_pair_generate(*, common_name: str) -> tuple[str, str]:
    """(private key PEM, certificate as base64 DER) for signing our SAML messages."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return private_pem, base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def certificate_normalise(pem: str) -> str:
    body = "".join(line.strip() for line in pem.strip().splitlines() if "-----" not in line)
    try:
        base64.b64decode(body, validate=True)
    except ValueError as exc:
        raise SsoError("The certificate is not a PEM or base64 X.509 certificate.") from exc
    try:
        x509.load_der_x509_certificate(base64.b64decode(body))
    except ValueError as exc:
        raise SsoError("The certificate is not a valid X.509 certificate.") from exc
    return body
