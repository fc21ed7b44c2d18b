"""Environments, and the versions deployed or released into them.

Mirrors the broker's tables (shared/reference/pact-broker-api.md §1.1):
- `DeployedVersion` is the deployment history; `CurrentlyDeployedVersion` is the "currently deployed"
  head, one row per (pacticipant, environment, application instance), kept current on write so
  that the matrix can find what is live in an environment with one indexed lookup.
- `ReleasedVersion` is one row per (version, environment); it is "currently supported" while
  `support_ended_at` is NULL (many released versions may be supported at once, e.g. mobile apps).
"""

import uuid as uuid_lib

from django.db import models
from django.db.models import Q

from apps.contracts.models import Pacticipant, Version


def uuid_generate() -> str:
    return str(uuid_lib.uuid4())


class Environment(models.Model):
    uuid = models.CharField(max_length=64, unique=True, default=uuid_generate)
    name = models.CharField(max_length=255, unique=True)
    display_name = models.CharField(max_length=255, null=True, blank=True)
    production = models.BooleanField()
    contacts = models.JSONField(null=True, blank=True)  # [{"name": ..., "details": {...}}]
    # The teams that own it (PactFlow's `teamUuids`); deleting a team only unlinks.
    teams = models.ManyToManyField("accounts.Team", blank=True, related_name="environments")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class DeployedVersion(models.Model):
    uuid = models.CharField(max_length=64, unique=True, default=uuid_generate)
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="deployed_versions")
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="deployed_versions")
    # The API calls it applicationInstance (legacy name: target). NULL = the default instance.
    target = models.CharField(max_length=255, null=True, blank=True)
    auto_created = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    undeployed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["version", "environment"], name="deployed_version_by_version"),
            models.Index(fields=["environment", "pacticipant"], name="deployed_version_by_env"),
        ]

    @property
    def currently_deployed(self) -> bool:
        return self.undeployed_at is None


class CurrentlyDeployedVersion(models.Model):
    """Exactly one current deployment per application instance of a pacticipant in an environment."""

    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="+")
    # '' when the deployment has no application instance, so the unique constraint covers NULLs.
    target_for_index = models.CharField(max_length=255, default="")
    deployed_version = models.OneToOneField(DeployedVersion, on_delete=models.CASCADE, related_name="current")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pacticipant", "environment", "target_for_index"], name="currently_deployed_unique"
            )
        ]
        indexes = [
            models.Index(fields=["environment", "pacticipant"], name="currently_deployed_by_env"),
            models.Index(fields=["version"], name="currently_deployed_by_version"),
        ]


class ReleasedVersion(models.Model):
    uuid = models.CharField(max_length=64, unique=True, default=uuid_generate)
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="released_versions")
    pacticipant = models.ForeignKey(Pacticipant, on_delete=models.CASCADE, related_name="+")
    environment = models.ForeignKey(Environment, on_delete=models.CASCADE, related_name="released_versions")
    support_ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "environment"], name="released_version_unique")]
        indexes = [
            models.Index(
                fields=["environment", "pacticipant"],
                condition=Q(support_ended_at__isnull=True),
                name="released_supported_by_env",
            ),
        ]

    @property
    def currently_supported(self) -> bool:
        return self.support_ended_at is None
