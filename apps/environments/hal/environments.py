"""HAL bodies of environments, deployed versions and released versions, in the broker's shapes.

Decorator-built broker bodies omit nil properties, and emit `updatedAt` only when it differs
from `createdAt`.
"""

from apps.core.hal import base_url, link, omit_none, timestamp, url
from apps.environments.models import DeployedVersion, Environment, ReleasedVersion


def environment_url(request, environment: Environment) -> str:
    return url(request, "environments", environment.uuid)


def deployed_versions_for_version_url(request, pacticipant_name, version_number, environment_uuid) -> str:
    return url(
        request,
        "pacticipants",
        pacticipant_name,
        "versions",
        version_number,
        "deployed-versions",
        "environment",
        environment_uuid,
    )


def released_versions_for_version_url(request, pacticipant_name, version_number, environment_uuid) -> str:
    return url(
        request,
        "pacticipants",
        pacticipant_name,
        "versions",
        version_number,
        "released-versions",
        "environment",
        environment_uuid,
    )


def request_url(request) -> str:
    """The absolute URL of this request (with its query), on the same base as every other link."""
    return base_url(request) + request.get_full_path()


def _timestamps(row) -> dict:
    body = {"createdAt": timestamp(row.created_at)}
    updated = timestamp(row.updated_at)
    if updated and updated != body["createdAt"]:
        body["updatedAt"] = updated
    return body


def environment_body(request, environment: Environment) -> dict:
    self_href = environment_url(request, environment)
    body = omit_none(
        {
            "uuid": environment.uuid,
            "name": environment.name,
            "displayName": environment.display_name,
            "production": environment.production,
            "contacts": environment.contacts,
        }
    )
    body.update(_timestamps(environment))
    teams = list(environment.teams.all())
    if teams:
        # PactFlow's team fields, only for an environment some team owns: a team-less one keeps
        # the open-source broker's body byte for byte.
        body["teamUuids"] = [str(team.uuid) for team in teams]
        body["_embedded"] = {"teams": [{"uuid": str(team.uuid), "name": team.name} for team in teams]}
    body["_links"] = {
        "self": link(self_href, title="Environment", name=environment.name),
        "pb:currently-deployed-deployed-versions": link(
            f"{self_href}/deployed-versions/currently-deployed",
            title=f"Versions currently deployed to {environment.display_name} environment",
        ),
        "pb:currently-supported-released-versions": link(
            f"{self_href}/released-versions/currently-supported",
            title=f"Versions released and supported in {environment.display_name} environment",
        ),
        "pb:environments": link(url(request, "environments"), title="Environments"),
    }
    return body


def environments_body(request, environments: list[Environment]) -> dict:
    return {
        "_embedded": {"environments": [environment_body(request, e) for e in environments]},
        "_links": {
            "self": link(request_url(request), title="Environments"),
            "pb:environments": [
                link(environment_url(request, e), title="Environment", name=e.name) for e in environments
            ],
        },
    }


def _pacticipant_embedded(request, pacticipant) -> dict:
    return {"name": pacticipant.name, "_links": {"self": link(url(request, "pacticipants", pacticipant.name))}}


def _version_embedded(request, version) -> dict:
    return {
        "number": version.number,
        "_links": {
            "self": link(
                url(request, "pacticipants", version.pacticipant.name, "versions", version.number),
                title="Version",
                name=version.number,
            )
        },
    }


def deployed_version_body(request, deployed: DeployedVersion, *, embed_environment: bool = True) -> dict:
    body = {"uuid": deployed.uuid, "currentlyDeployed": deployed.currently_deployed}
    if deployed.target is not None:
        body["target"] = deployed.target  # deprecated name, kept for old clients
        body["applicationInstance"] = deployed.target
    body.update(_timestamps(deployed))
    if deployed.undeployed_at is not None:
        body["undeployedAt"] = timestamp(deployed.undeployed_at)
    embedded = {
        "pacticipant": _pacticipant_embedded(request, deployed.version.pacticipant),
        "version": _version_embedded(request, deployed.version),
    }
    if embed_environment:
        embedded["environment"] = environment_body(request, deployed.environment)
    body["_embedded"] = embedded
    body["_links"] = {"self": link(url(request, "deployed-versions", deployed.uuid))}
    return body


def released_version_body(request, released: ReleasedVersion, *, embed_environment: bool = True) -> dict:
    body = {"uuid": released.uuid, "currentlySupported": released.currently_supported}
    body.update(_timestamps(released))
    if released.support_ended_at is not None:
        body["supportEndedAt"] = timestamp(released.support_ended_at)
    embedded = {
        "pacticipant": _pacticipant_embedded(request, released.version.pacticipant),
        "version": _version_embedded(request, released.version),
    }
    if embed_environment:
        embedded["environment"] = environment_body(request, released.environment)
    body["_embedded"] = embedded
    body["_links"] = {"self": link(url(request, "released-versions", released.uuid))}
    return body


def deployed_versions_body(request, rows: list[DeployedVersion], title: str) -> dict:
    return {
        "_embedded": {"deployedVersions": [deployed_version_body(request, r, embed_environment=False) for r in rows]},
        "_links": {"self": link(request_url(request), title=title)},
    }


def released_versions_body(request, rows: list[ReleasedVersion], title: str) -> dict:
    return {
        "_embedded": {"releasedVersions": [released_version_body(request, r, embed_environment=False) for r in rows]},
        "_links": {"self": link(request_url(request), title=title)},
    }
