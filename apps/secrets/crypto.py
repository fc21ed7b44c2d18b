"""Envelope encryption with `cryptography`'s AES-GCM.

Key hierarchy:
- master keys (key-encryption keys) come from the environment, never from the database:
  SECRETS_MASTER_KEYS = "id1:<base64 32 bytes>,id0:<base64 32 bytes>". The FIRST key wraps new and
  re-wrapped data keys; the others only unwrap, so a new master key can be put first, every
  tenant's data key re-wrapped (`secrets_rewrap_data_keys`), and the old key removed afterwards.
- one data key per tenant (32 random bytes), stored wrapped by a master key, the master key's id
  beside it. AAD binds the wrapped key to the tenant schema.
- secret values are encrypted with the tenant's data key; AAD binds them to schema and secret uuid.

Nonces are 96 random bits per encryption; a tenant encrypts few enough values that the random-nonce
bound of NIST SP 800-38D (2^32 messages per key) is far away.
"""

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12


class SecretsNotConfigured(Exception):
    """No master key is configured (production without SECRETS_MASTER_KEYS)."""


class DecryptionFailed(Exception):
    """A ciphertext did not authenticate: wrong key, wrong tenant/row, or tampering."""


@dataclass(frozen=True)
class MasterKey:
    key_id: str
    key: bytes


def master_keys_parse(raw: str) -> list[MasterKey]:
    """Parse "id:base64,id:base64"; fails loudly on anything that is not a 256-bit key."""
    keys = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id:
            raise ValueError("SECRETS_MASTER_KEYS entries must look like <id>:<base64 key>")
        key = base64.b64decode(encoded, validate=True)
        if len(key) != 32:
            raise ValueError(f"master key {key_id!r} must be 32 bytes (base64 of 32 random bytes)")
        keys.append(MasterKey(key_id, key))
    if len({k.key_id for k in keys}) != len(keys):
        raise ValueError("SECRETS_MASTER_KEYS has duplicate key ids")
    return keys


def master_keys() -> list[MasterKey]:
    keys = master_keys_parse(settings.SECRETS_MASTER_KEYS or "")
    if not keys:
        raise SecretsNotConfigured("Secrets are not available: no master key is configured (SECRETS_MASTER_KEYS).")
    return keys


def primary_master_key() -> MasterKey:
    return master_keys()[0]


def _master_key(key_id: str) -> MasterKey:
    for key in master_keys():
        if key.key_id == key_id:
            return key
    raise DecryptionFailed(f"master key {key_id!r} is not configured")


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, sealed: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
    except InvalidTag as exc:
        raise DecryptionFailed("ciphertext did not authenticate") from exc


def _data_key_aad(schema_name: str) -> bytes:
    return f"data-key|{schema_name}".encode()


def _secret_aad(schema_name: str, secret_uuid) -> bytes:
    return f"secret|{schema_name}|{secret_uuid}".encode()


def data_key_generate() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def data_key_wrap(data_key: bytes, *, schema_name: str) -> tuple[str, bytes]:
    """(master key id, wrapped key) under the primary master key."""
    master = primary_master_key()
    return master.key_id, _seal(master.key, data_key, _data_key_aad(schema_name))


def data_key_unwrap(wrapped: bytes, *, master_key_id: str, schema_name: str) -> bytes:
    return _open(_master_key(master_key_id).key, bytes(wrapped), _data_key_aad(schema_name))


def value_encrypt(data_key: bytes, value: str, *, schema_name: str, secret_uuid) -> tuple[bytes, bytes]:
    """(nonce, ciphertext) of a secret value."""
    sealed = _seal(data_key, value.encode(), _secret_aad(schema_name, secret_uuid))
    return sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]


def value_decrypt(data_key: bytes, nonce: bytes, ciphertext: bytes, *, schema_name: str, secret_uuid) -> str:
    return _open(data_key, bytes(nonce) + bytes(ciphertext), _secret_aad(schema_name, secret_uuid)).decode()
