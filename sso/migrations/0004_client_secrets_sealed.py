"""OAuth client secrets move to envelope encryption under the organisation's data key (issue 13).

Before, they were sealed with a key derived from SSO_ENCRYPTION_KEY or SECRET_KEY: one key for every
organisation, and rotating SECRET_KEY (for sessions) silently broke every GitHub/Google sign-in.
Now apps.secrets keeps them as sealed values: one data key per organisation, wrapped by the master
keys in SECRETS_MASTER_KEYS, covered by master- and data-key rotation.

This migration decrypts each stored secret with the old key (so SECRET_KEY / SSO_ENCRYPTION_KEY must
still be the ones they were sealed with) and re-seals it, then drops the old column. With secrets to
move and no master key configured it stops with a message rather than lose them. A secret the old
key cannot open was already unusable; it is dropped with a warning (re-enter it in Settings > SSO).
The legacy format is spelled out here, not imported, so the migration outlives the old module.
"""
import base64
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, migrations, models

logger = logging.getLogger(__name__)


def _legacy_key() -> bytes:
    material = (getattr(settings, "SSO_ENCRYPTION_KEY", None) or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"contract-broker sso client secret").derive(material)


def legacy_decrypt(token: str, context: str) -> str | None:
    version, _, body = token.partition(":")
    if version != "v1":
        return None
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return AESGCM(_legacy_key()).decrypt(raw[:12], raw[12:], context.encode()).decode()
    except (InvalidTag, ValueError):
        return None


def legacy_encrypt(plaintext: str, context: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_legacy_key()).encrypt(nonce, plaintext.encode(), context.encode())
    return f"v1:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def reseal(apps, schema_editor):
    from apps.secrets.crypto import SecretsNotConfigured
    from apps.secrets.services import sealed_value_put

    OAuthClient = apps.get_model("sso", "OAuthClient")
    for client in OAuthClient.objects.exclude(client_secret_encrypted=""):
        value = legacy_decrypt(client.client_secret_encrypted, f"{connection.schema_name}:{client.provider}")
        if value is None:
            logger.warning("Organisation %s: its %s client secret could not be decrypted and was dropped; "
                           "re-enter it in Settings > SSO.", connection.schema_name, client.provider)
            continue
        try:
            sealed_value_put(purpose=f"sso.{client.provider}.client_secret", value=value)
        except SecretsNotConfigured as exc:
            raise RuntimeError("SSO client secrets must be re-sealed with the secrets' master key: set "
                               "SECRETS_MASTER_KEYS, then run the migrations again.") from exc


def unseal(apps, schema_editor):
    from apps.secrets.services import sealed_value_delete, sealed_value_get

    OAuthClient = apps.get_model("sso", "OAuthClient")
    for client in OAuthClient.objects.all():
        purpose = f"sso.{client.provider}.client_secret"
        value = sealed_value_get(purpose=purpose)
        if value:
            client.client_secret_encrypted = legacy_encrypt(value, f"{connection.schema_name}:{client.provider}")
            client.save(update_fields=["client_secret_encrypted"])
        sealed_value_delete(purpose=purpose)


class Migration(migrations.Migration):
    dependencies = [("sso", "0003_idp_initiated_off"), ("secrets", "0002_sealedvalue")]

    operations = [
        migrations.RunPython(reseal, unseal),
        migrations.RemoveField(model_name="oauthclient", name="client_secret_encrypted"),
    ]
