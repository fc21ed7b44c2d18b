"""Encrypted secrets of an organisation and the data key that encrypts them.

Envelope encryption (see crypto.py): each tenant has one active data key (AES-256-GCM), stored
only wrapped by a master key from the environment. Secret values are encrypted with the data key;
the ciphertext is bound (AAD) to the tenant schema and the secret's uuid, so a row copied into
another tenant or onto another secret does not decrypt.
"""

import uuid

from django.db import models


class DataKey(models.Model):
    """A tenant's data key, wrapped by the master key `master_key_id`. One row is active."""

    master_key_id = models.CharField(max_length=64)
    wrapped_key = models.BinaryField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_data_key")
        ]


class Secret(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="secrets")
    nonce = models.BinaryField()
    ciphertext = models.BinaryField()
    # PactFlow's `teamUuid`: a team's secret is usable only by that team's webhooks, a team-less one
    # only by team-less webhooks. Deleting the team leaves the secret team-less (`*` scopes only).
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="secrets")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class SealedValue(models.Model):
    """A value another part of the product keeps under this organisation's data key (SSO client
    secrets, SAML private keys), found by `purpose`.

    Not a Secret: never listed by the secrets API and never resolvable as ${user.NAME} in a webhook,
    so a webhook author cannot send it anywhere. The ciphertext is bound (AAD) to the schema and the
    purpose; data-key rotation re-encrypts these rows with the secrets.
    """

    purpose = models.CharField(max_length=100, unique=True)
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="sealed_values")
    nonce = models.BinaryField()
    ciphertext = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)
