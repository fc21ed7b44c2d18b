"""Encryption of OAuth client secrets at rest (AES-256-GCM from `cryptography`).

The key is derived with HKDF from SSO_ENCRYPTION_KEY (or SECRET_KEY). The organisation's schema and
the provider are bound in as associated data, so a ciphertext copied into another organisation's
row, or from the GitHub row to the Google row, does not decrypt.
"""
import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_VERSION = "v1"


class SecretUnreadable(Exception):
    pass


def _key() -> bytes:
    material = (getattr(settings, "SSO_ENCRYPTION_KEY", None) or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"contract-broker sso client secret").derive(
        material
    )


def secret_encrypt(*, plaintext: str, context: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{_VERSION}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def secret_decrypt(*, token: str, context: str) -> str:
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise SecretUnreadable("unknown secret format")
    raw = base64.urlsafe_b64decode(body.encode())
    try:
        return AESGCM(_key()).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except InvalidTag as exc:
        raise SecretUnreadable("secret does not decrypt with this key and context") from exc
