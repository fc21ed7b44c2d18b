"""Writes on secrets, and the two key-rotation operations.

Secret values are write-only: created or replaced here, decrypted only by `secret_values_resolve`,
which only the webhook delivery task calls. Every change is audited (names only, never values).
"""

import re

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.audit import audit_record, changes
from apps.core.errors import Conflict, ValidationFailed
from apps.secrets import crypto
from apps.secrets.models import DataKey, SealedValue, Secret

# Names are referenced as ${user.NAME} in templates, so they are restricted to what the
# template syntax can carry unambiguously.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9_\-.]{1,255}$")


def _audit(action: str, secret: Secret, actor=None, **more) -> None:
    """Record a secret change in the audit log (names and uuids only, never values)."""
    details = {"secret_uuid": str(secret.uuid), "secret_name": secret.name, **more}
    audit_record(
        actor=actor, action=f"secret.{action}", target=("secret", str(secret.uuid), secret.name), details=details
    )


def _active_data_key() -> tuple[DataKey, bytes]:
    """The tenant's active data key (row, plaintext key), created on first use."""
    schema = connection.schema_name
    row = DataKey.objects.select_for_update().filter(active=True).first()
    if row is None:
        plain = crypto.data_key_generate()
        key_id, wrapped = crypto.data_key_wrap(plain, schema_name=schema)
        row = DataKey.objects.create(master_key_id=key_id, wrapped_key=wrapped)
        return row, plain
    return row, crypto.data_key_unwrap(row.wrapped_key, master_key_id=row.master_key_id, schema_name=schema)


def _validate(*, name: str | None, value: str | None, description, creating: bool) -> None:
    errors = {}
    if creating or name is not None:
        if not isinstance(name, str) or not name.strip():
            errors["name"] = ["cannot be blank."]
        elif not NAME_PATTERN.match(name):
            errors["name"] = ["may contain only letters, digits, '_', '-' and '.' (at most 255 characters)."]
    if creating or value is not None:
        if not isinstance(value, str) or value == "":
            errors["value"] = ["cannot be blank."]
    if description is not None and not isinstance(description, str):
        errors["description"] = ["must be a string."]
    if errors:
        raise ValidationFailed(errors)


def _encrypt_into(secret: Secret, value: str) -> None:
    try:
        data_key, plain = _active_data_key()
    except crypto.SecretsNotConfigured as exc:
        raise Conflict({"error": str(exc)}) from exc
    secret.data_key = data_key
    secret.nonce, secret.ciphertext = crypto.value_encrypt(
        plain, value, schema_name=connection.schema_name, secret_uuid=secret.uuid
    )


@transaction.atomic
def secret_create(*, name: str, value: str, description: str | None = None, actor=None, team=None) -> Secret:
    """`team`: the Team it belongs to (PactFlow's `teamUuid`, fixed after creation), or None."""
    _validate(name=name, value=value, description=description, creating=True)
    if Secret.objects.filter(name=name).exists():
        raise ValidationFailed({"name": [f"a secret named '{name}' already exists."]})
    secret = Secret(name=name, description=description or "", team=team)
    _encrypt_into(secret, value)
    secret.save()
    _audit("created", secret, actor)
    return secret


@transaction.atomic
def secret_update(
    *, secret: Secret, name: str | None = None, value: str | None = None, description: str | None = None, actor=None
) -> Secret:
    """Change name, description and/or value; an omitted value keeps the stored one."""
    _validate(name=name, value=value, description=description, creating=False)
    before = {"name": secret.name, "description": secret.description}
    if name is not None and name != secret.name:
        if Secret.objects.filter(name=name).exclude(pk=secret.pk).exists():
            raise ValidationFailed({"name": [f"a secret named '{name}' already exists."]})
        secret.name = name
    if description is not None:
        secret.description = description
    if value is not None:
        _encrypt_into(secret, value)
    secret.save()
    after = {"name": secret.name, "description": secret.description}
    _audit("updated", secret, actor, value_changed=value is not None, **changes(before, after))
    return secret


@transaction.atomic
def secret_delete(*, secret: Secret, actor=None) -> None:
    _audit("deleted", secret, actor)
    secret.delete()


def secret_values_resolve(names: set[str], *, team_id: int | None) -> dict[str, str]:
    """Decrypt the named secrets of the current tenant that a webhook of team `team_id` may use:
    a team's secrets serve only that team's webhooks, team-less ones only team-less webhooks
    (PactFlow's rule). Only the webhook delivery task and a webhook's test run call this.

    Unknown names (and other teams' secrets) are simply absent; the caller decides what that means.
    """
    if not names:
        return {}
    schema = connection.schema_name
    secrets = list(Secret.objects.filter(name__in=names, team_id=team_id).select_related("data_key"))
    keys: dict[int, bytes] = {}
    values = {}
    for secret in secrets:
        row = secret.data_key
        if row.pk not in keys:
            keys[row.pk] = crypto.data_key_unwrap(row.wrapped_key, master_key_id=row.master_key_id, schema_name=schema)
        values[secret.name] = crypto.value_decrypt(
            keys[row.pk], secret.nonce, secret.ciphertext, schema_name=schema, secret_uuid=secret.uuid
        )
    return values


# --- Sealed values: other apps' encrypted settings under the same data key ------------------------
# The AAD is the secrets' own, with "sealed:<purpose>" where a secret has its uuid: the two can never
# collide, and a sealed value copied onto another purpose or organisation does not decrypt.


def _sealed_aad_id(purpose: str) -> str:
    return f"sealed:{purpose}"


@transaction.atomic
def sealed_value_put(*, purpose: str, value: str) -> None:
    """Encrypt and store `value` under `purpose`, replacing any previous one.

    Raises crypto.SecretsNotConfigured when no master key is configured.
    """
    data_key, plain = _active_data_key()
    nonce, ciphertext = crypto.value_encrypt(
        plain, value, schema_name=connection.schema_name, secret_uuid=_sealed_aad_id(purpose)
    )
    SealedValue.objects.update_or_create(
        purpose=purpose, defaults={"data_key": data_key, "nonce": nonce, "ciphertext": ciphertext}
    )


def sealed_value_get(*, purpose: str) -> str | None:
    """The decrypted value, or None if nothing is stored. Raises crypto.DecryptionFailed or
    crypto.SecretsNotConfigured when it cannot be read."""
    row = SealedValue.objects.filter(purpose=purpose).select_related("data_key").first()
    if row is None:
        return None
    schema = connection.schema_name
    plain = crypto.data_key_unwrap(
        row.data_key.wrapped_key, master_key_id=row.data_key.master_key_id, schema_name=schema
    )
    return crypto.value_decrypt(
        plain, row.nonce, row.ciphertext, schema_name=schema, secret_uuid=_sealed_aad_id(purpose)
    )


def sealed_value_exists(*, purpose: str) -> bool:
    return SealedValue.objects.filter(purpose=purpose).exists()


def sealed_value_delete(*, purpose: str) -> None:
    SealedValue.objects.filter(purpose=purpose).delete()


@transaction.atomic
def data_key_rewrap() -> int:
    """Re-wrap this tenant's data keys under the primary master key (master-key rotation).

    Cheap: secret rows are untouched. Returns how many keys were re-wrapped.
    """
    schema = connection.schema_name
    primary = crypto.primary_master_key()
    count = 0
    for row in DataKey.objects.select_for_update().exclude(master_key_id=primary.key_id):
        plain = crypto.data_key_unwrap(row.wrapped_key, master_key_id=row.master_key_id, schema_name=schema)
        row.master_key_id, row.wrapped_key = crypto.data_key_wrap(plain, schema_name=schema)
        row.rewrapped_at = timezone.now()
        row.save(update_fields=["master_key_id", "wrapped_key", "rewrapped_at"])
        count += 1
    return count


@transaction.atomic
def data_key_rotate() -> int:
    """Give this tenant a new data key and re-encrypt every secret with it (data-key rotation).

    One transaction: readers see either all secrets under the old key or all under the new one,
    so webhook deliveries keep working throughout; the old key rows are deleted at the end.
    Returns how many secrets were re-encrypted (sealed values of other apps are re-encrypted too).
    """
    schema = connection.schema_name
    old_rows = list(DataKey.objects.select_for_update())
    old_keys = {
        row.pk: crypto.data_key_unwrap(row.wrapped_key, master_key_id=row.master_key_id, schema_name=schema)
        for row in old_rows
    }
    DataKey.objects.filter(active=True).update(active=False)
    plain = crypto.data_key_generate()
    key_id, wrapped = crypto.data_key_wrap(plain, schema_name=schema)
    new_row = DataKey.objects.create(master_key_id=key_id, wrapped_key=wrapped)
    count = 0
    for secret in Secret.objects.select_for_update():
        value = crypto.value_decrypt(
            old_keys[secret.data_key_id], secret.nonce, secret.ciphertext, schema_name=schema, secret_uuid=secret.uuid
        )
        secret.data_key = new_row
        secret.nonce, secret.ciphertext = crypto.value_encrypt(
            plain, value, schema_name=schema, secret_uuid=secret.uuid
        )
        secret.save(update_fields=["data_key", "nonce", "ciphertext"])
        count += 1
    for sealed in SealedValue.objects.select_for_update():
        aad_id = _sealed_aad_id(sealed.purpose)
        value = crypto.value_decrypt(
            old_keys[sealed.data_key_id], sealed.nonce, sealed.ciphertext, schema_name=schema, secret_uuid=aad_id
        )
        sealed.data_key = new_row
        sealed.nonce, sealed.ciphertext = crypto.value_encrypt(plain, value, schema_name=schema, secret_uuid=aad_id)
        sealed.save(update_fields=["data_key", "nonce", "ciphertext"])
    DataKey.objects.filter(pk__in=[row.pk for row in old_rows]).delete()
    return count
