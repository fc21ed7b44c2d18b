"""Writes on environments, deployments and releases (one transaction each).

Rules kept from the open-source broker:
- an environment name has no spaces and is unique; a blank display name is generated from it;
- recording a deployment ends the current deployment of the same pacticipant and application
  instance in that environment; recording the version that is already current returns the
  existing record (no new row);
- `currentlyDeployed` / `currentlySupported` can only go from true to false;
- a tag named like an environment records an (auto-created) deployment
  (`create_deployed_versions_for_tags`).
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.audit import audit_record, changes
from apps.accounts.models import Team
from apps.contracts.models import Version
from apps.contracts.names import display_name_generate
from apps.core.errors import ValidationFailed
from apps.environments.models import CurrentlyDeployedVersion, DeployedVersion, Environment, ReleasedVersion

CANNOT_SET_DEPLOYED_TRUE = "The currentlyDeployed property cannot be set back to true. Please record a new deployment."
CANNOT_SET_SUPPORTED_TRUE = (
    "The currentlySupported property cannot be set back to true. Please record a new deployment."
)


def _environment_target(environment: Environment) -> tuple:
    return ("environment", environment.uuid, environment.name)


def _environment_fields(environment: Environment) -> dict:
    return {
        "name": environment.name,
        "displayName": environment.display_name,
        "production": environment.production,
        "contacts": environment.contacts,
    }


def _version_audit(action: str, record, version: Version, environment: Environment, **details) -> None:
    name = version.pacticipant.name
    audit_record(
        action=action,
        target=(record._meta.model_name, record.uuid, f"{name} {version.number} in {environment.name}"),
        details={"pacticipant": name, "version": version.number, "environment": environment.name, **details},
    )


@transaction.atomic
def environment_create(
    *,
    name: str,
    display_name: str | None = None,
    production: bool,
    contacts: list | None = None,
    team_uuids: list[str] | None = None,
    uuid: str | None = None,
    created_at: datetime | None = None,
) -> Environment:
    """A blank display name is generated from the name, as the broker does. `uuid` and
    `created_at` are for an import from another broker (the source's identity and time)."""
    try:
        with transaction.atomic():
            environment = Environment.objects.create(
                name=name,
                display_name=display_name or display_name_generate(name),
                production=production,
                contacts=contacts,
                **({"uuid": uuid} if uuid else {}),
            )
            if team_uuids:
                environment.teams.set(Team.objects.filter(uuid__in=team_uuids))
            if created_at is not None:
                _times_set(environment, created_at=created_at, updated_at=created_at)
    except IntegrityError:  # lost a race for the same name
        raise ValidationFailed({"name": [f"Another environment with name '{name}' already exists."]})
    audit_record(
        action="environment.created", target=_environment_target(environment), details=_environment_fields(environment)
    )
    return environment


@transaction.atomic
def environment_update(
    *,
    environment: Environment,
    name: str,
    display_name: str | None = None,
    production: bool,
    contacts: list | None = None,
    team_uuids: list[str] | None = None,
) -> Environment:
    """PUT semantics: the body replaces the environment (missing optional fields are cleared),
    except its teams, which change only when `teamUuids` is given."""
    before = _environment_fields(environment)
    environment.name = name
    environment.display_name = display_name or display_name_generate(name)
    environment.production = production
    environment.contacts = contacts
    environment.save()
    if team_uuids is not None:
        environment.teams.set(Team.objects.filter(uuid__in=team_uuids))
    audit_record(
        action="environment.updated",
        target=_environment_target(environment),
        details=changes(before, _environment_fields(environment)),
    )
    return environment


@transaction.atomic
def environment_delete(*, environment: Environment) -> None:
    # The broker deletes the row only; its deployments/releases go with it here (FK cascade)
    # rather than failing on a foreign key.
    target = _environment_target(environment)
    environment.delete()
    audit_record(action="environment.deleted", target=target)


def _times_set(row, **times) -> None:
    """Give a row just created other times than now (auto_now_add/auto_now ignore given values)."""
    type(row).objects.filter(pk=row.pk).update(**times)
    for name, value in times.items():
        setattr(row, name, value)


@transaction.atomic
def deployment_record(
    *,
    version: Version,
    environment: Environment,
    target: str | None = None,
    auto_created: bool = False,
    uuid: str | None = None,
    created_at: datetime | None = None,
    undeployed_at: datetime | None = None,
) -> tuple[DeployedVersion, bool]:
    """Record that `version` is now deployed to `environment` (application instance `target`).

    Returns (deployed version, created). The previous current deployment of the same pacticipant
    and instance is marked undeployed. The current-pointer row is locked so that two concurrent
    deployments of one instance serialise instead of both becoming current.

    An import of another broker's history passes the source's `uuid` and `created_at`, and for a
    past deployment its `undeployed_at`: that one is written as history only (it never was current
    here, so nothing else changes).
    """
    target = target or None
    target_key = target or ""
    if undeployed_at is not None:
        deployed = DeployedVersion.objects.create(
            version=version,
            pacticipant_id=version.pacticipant_id,
            environment=environment,
            target=target,
            auto_created=auto_created,
            **({"uuid": uuid} if uuid else {}),
        )
        _times_set(deployed, created_at=created_at or deployed.created_at, updated_at=created_at or deployed.created_at)
        _times_set(deployed, undeployed_at=undeployed_at)
        _version_audit(
            "deployment.recorded", deployed, version, environment, target=target, undeployedAt=undeployed_at.isoformat()
        )
        return deployed, True
    current = (
        CurrentlyDeployedVersion.objects.select_for_update()
        .filter(pacticipant_id=version.pacticipant_id, environment=environment, target_for_index=target_key)
        .select_related("deployed_version")
        .first()
    )
    if current is not None and current.version_id == version.pk:
        return current.deployed_version, False
    now = timezone.now()
    deployed = DeployedVersion.objects.create(
        version=version,
        pacticipant_id=version.pacticipant_id,
        environment=environment,
        target=target,
        auto_created=auto_created,
        **({"uuid": uuid} if uuid else {}),
    )
    if created_at is not None:
        _times_set(deployed, created_at=created_at, updated_at=created_at)
    if current is not None:
        DeployedVersion.objects.filter(pk=current.deployed_version_id).update(undeployed_at=now, updated_at=now)
        current.deployed_version = deployed
        current.version = version
        current.save(update_fields=["deployed_version", "version"])
    else:
        CurrentlyDeployedVersion.objects.create(
            pacticipant_id=version.pacticipant_id,
            environment=environment,
            target_for_index=target_key,
            deployed_version=deployed,
            version=version,
        )
    _version_audit(
        "deployment.recorded",
        deployed,
        version,
        environment,
        target=target,
        autoCreated=auto_created,
        replaced=current is not None,
    )
    return deployed, True


@transaction.atomic
def deployment_undeploy(*, deployed_version: DeployedVersion, undeployed_at: datetime | None = None) -> DeployedVersion:
    """Mark a deployment as no longer current (idempotent); `undeployed_at` when not now (an import)."""
    if deployed_version.undeployed_at is None:
        # As the broker records it: the undeployment time only, updatedAt untouched (its bodies then
        # show no updatedAt, and ours show it only when it differs from createdAt).
        deployed_version.undeployed_at = undeployed_at or timezone.now()
        DeployedVersion.objects.filter(pk=deployed_version.pk).update(undeployed_at=deployed_version.undeployed_at)
        CurrentlyDeployedVersion.objects.filter(deployed_version=deployed_version).delete()
        _version_audit(
            "deployment.undeployed",
            deployed_version,
            deployed_version.version,
            deployed_version.environment,
            target=deployed_version.target,
        )
    return deployed_version


def deployed_version_patch(
    *, deployed_version: DeployedVersion, currently_deployed: bool | None = None
) -> DeployedVersion:
    """Merge-patch of a deployed version: only `currentlyDeployed: false` changes anything."""
    if currently_deployed is False:
        return deployment_undeploy(deployed_version=deployed_version)
    if currently_deployed is True and not deployed_version.currently_deployed:
        raise ValidationFailed({"currentlyDeployed": [CANNOT_SET_DEPLOYED_TRUE]}, status_code=422)
    return deployed_version


@transaction.atomic
def release_record(
    *,
    version: Version,
    environment: Environment,
    uuid: str | None = None,
    created_at: datetime | None = None,
    support_ended_at: datetime | None = None,
) -> tuple[ReleasedVersion, bool]:
    """Record a release; an existing release of the version to the environment is supported again.
    An import passes the source's `uuid`, `created_at` and `support_ended_at` (a past release)."""
    try:
        with transaction.atomic():
            released = ReleasedVersion.objects.create(
                version=version,
                pacticipant_id=version.pacticipant_id,
                environment=environment,
                **({"uuid": uuid} if uuid else {}),
            )
            if created_at is not None:
                _times_set(released, created_at=created_at, updated_at=created_at)
            if support_ended_at is not None:
                _times_set(released, support_ended_at=support_ended_at)
        _version_audit("release.recorded", released, version, environment)
        return released, True
    except IntegrityError:
        released = ReleasedVersion.objects.select_for_update().get(version=version, environment=environment)
    if released.support_ended_at is not None:
        released.support_ended_at = None
        released.save(update_fields=["support_ended_at", "updated_at"])
        _version_audit("release.supported_again", released, version, environment)
    return released, False


@transaction.atomic
def release_support_end(
    *, released_version: ReleasedVersion, support_ended_at: datetime | None = None
) -> ReleasedVersion:
    """End support (idempotent); `support_ended_at` when not now (an import)."""
    if released_version.support_ended_at is None:  # the end of support only, as the broker records it
        released_version.support_ended_at = support_ended_at or timezone.now()
        ReleasedVersion.objects.filter(pk=released_version.pk).update(
            support_ended_at=released_version.support_ended_at
        )
        _version_audit(
            "release.support_ended", released_version, released_version.version, released_version.environment
        )
    return released_version


def released_version_patch(
    *, released_version: ReleasedVersion, currently_supported: bool | None = None
) -> ReleasedVersion:
    if currently_supported is False:
        return release_support_end(released_version=released_version)
    if currently_supported is True and not released_version.currently_supported:
        raise ValidationFailed({"currentlySupported": [CANNOT_SET_SUPPORTED_TRUE]}, status_code=422)
    return released_version


def deployed_version_for_tag(version: Version, tag_name: str) -> DeployedVersion | None:
    """The broker's `create_deployed_versions_for_tags`: tagging a version with the name of an
    environment records an auto-created deployment of it there. Called on the contracts app's
    `version_tagged` event (apps/environments/receivers.py); returns the deployed version, or None
    when no environment has that name."""
    if not settings.BROKER_CREATE_DEPLOYED_VERSIONS_FOR_TAGS:
        return None
    environment = Environment.objects.filter(name=tag_name).first()
    if environment is None:
        return None
    deployed, _ = deployment_record(version=version, environment=environment, auto_created=True)
    return deployed
