"""Reads on environments, deployments and releases."""

from django.db.models.functions import Lower

from apps.contracts.models import Version
from apps.core.hal import url
from apps.environments.models import CurrentlyDeployedVersion, DeployedVersion, Environment, ReleasedVersion


def environment_find(uuid: str) -> Environment | None:
    return Environment.objects.filter(uuid=uuid).first()


def environment_find_by_name(name: str) -> Environment | None:
    return Environment.objects.filter(name=name).first()


def environment_name_taken(name: str, *, excluding: Environment | None = None) -> bool:
    others = Environment.objects.filter(name=name)
    if excluding is not None:
        others = others.exclude(pk=excluding.pk)
    return others.exists()


def team_uuids_known(values) -> set[str]:
    """Which of `values` are UUIDs of this organisation's teams."""
    from apps.accounts.models import Team
    from apps.accounts.queries import valid_uuid

    wanted = [v for v in (valid_uuid(value) for value in values) if v]
    return {str(value) for value in Team.objects.filter(uuid__in=wanted).values_list("uuid", flat=True)}


def environment_team_uuids(environment: Environment) -> set[str]:
    return {str(team.uuid) for team in environment.teams.all()}


def environments_list(*, name: str | None = None, with_teams: bool = False) -> list[Environment]:
    """`with_teams`: their owning teams read in one more statement (the API's bodies show them)."""
    environments = Environment.objects.all()
    if name is not None:
        environments = environments.filter(name=name)
    if with_teams:
        environments = environments.prefetch_related("teams")
    return list(environments.order_by(Lower("display_name"), "name"))


def currently_deployed_versions(
    environment: Environment,
    *,
    pacticipant_name: str | None = None,
    target: str | None = None,
    target_given: bool = False,
) -> list[DeployedVersion]:
    """Deployments current in an environment. A given but blank target selects the NULL instance."""
    rows = CurrentlyDeployedVersion.objects.filter(environment=environment)
    if pacticipant_name is not None:
        rows = rows.filter(pacticipant__name=pacticipant_name)
    if target_given:
        rows = rows.filter(target_for_index=target or "")
    return [
        row.deployed_version
        for row in rows.select_related(
            "deployed_version__version__pacticipant", "deployed_version__environment"
        ).order_by("deployed_version__created_at", "deployed_version_id")
    ]


def currently_supported_released_versions(
    environment: Environment, *, pacticipant_name: str | None = None, version_number: str | None = None
) -> list[ReleasedVersion]:
    rows = ReleasedVersion.objects.filter(environment=environment, support_ended_at__isnull=True)
    if pacticipant_name is not None:
        rows = rows.filter(pacticipant__name=pacticipant_name)
    if version_number is not None:
        rows = rows.filter(version__number=version_number)
    return list(rows.select_related("version__pacticipant", "environment").order_by("created_at", "id"))


def deployed_versions_for_version(version: Version, environment: Environment) -> list[DeployedVersion]:
    return list(
        DeployedVersion.objects.filter(version=version, environment=environment)
        .select_related("version__pacticipant", "environment")
        .order_by("created_at", "id")
    )


def released_versions_for_version(version: Version, environment: Environment) -> list[ReleasedVersion]:
    return list(
        ReleasedVersion.objects.filter(version=version, environment=environment)
        .select_related("version__pacticipant", "environment")
        .order_by("created_at", "id")
    )


def deployed_version_find(uuid: str) -> DeployedVersion | None:
    return DeployedVersion.objects.filter(uuid=uuid).select_related("version__pacticipant", "environment").first()


def released_version_find(uuid: str) -> ReleasedVersion | None:
    return ReleasedVersion.objects.filter(uuid=uuid).select_related("version__pacticipant", "environment").first()


def _deployments_by_version(ids: list[int]) -> tuple[dict[int, list], dict[int, list]]:
    """Every deployment and release of these versions (ended ones included), oldest first: 2 queries."""
    deployed: dict[int, list] = {i: [] for i in ids}
    released: dict[int, list] = {i: [] for i in ids}
    for row in (
        DeployedVersion.objects.filter(version_id__in=ids).select_related("environment").order_by("created_at", "pk")
    ):
        deployed[row.version_id].append(row)
    for row in (
        ReleasedVersion.objects.filter(version_id__in=ids).select_related("environment").order_by("created_at", "pk")
    ):
        released[row.version_id].append(row)
    return deployed, released


def environment_links_prefetch(request, versions) -> None:
    """Load, in 3 queries, what `version_links_for_environments` needs for many versions at once
    (a versions list), and keep it on the request so each version then costs no query."""
    deployed, released = _deployments_by_version([v.pk for v in versions])
    request._environment_links = (environments_list(), deployed, released)


def version_links_for_environments(request, version: Version) -> dict:
    """The version resource's environment links, as the broker provides them (3 queries, or none
    after `environment_links_prefetch` for a list):

    - `pb:record-deployment` and `pb:record-release`: one link per environment (name = environment
      name), to POST a deployment / release of this version;
    - `pb:deployed-environments`: each deployment of this version (its `/deployed-versions/{uuid}`,
      named by the environment's display name, `currently_deployed` false once replaced or undeployed);
    - `pb:released-environments`: each release (`currently_supported` false once support ended).

    Registered with the contracts app's version body in EnvironmentsConfig.ready().
    """
    from apps.environments.hal.environments import deployed_versions_for_version_url, released_versions_for_version_url

    prefetched = getattr(request, "_environment_links", None)
    if prefetched is not None and version.pk in prefetched[1]:
        environments, deployments, releases = prefetched[0], prefetched[1][version.pk], prefetched[2][version.pk]
    else:
        environments = environments_list()
        deployed, released = _deployments_by_version([version.pk])
        deployments, releases = deployed[version.pk], released[version.pk]
    pacticipant = version.pacticipant

    def env_link(title: str, environment: Environment, url_builder) -> dict:
        return {
            "title": title,
            "name": environment.name,
            "href": url_builder(request, pacticipant.name, version.number, environment.uuid),
        }

    return {
        "pb:deployed-environments": [
            {
                "title": f"Version deployed to {d.environment.display_name}",
                "name": d.environment.display_name,
                "href": url(request, "deployed-versions", d.uuid),
                "currently_deployed": d.undeployed_at is None,
            }
            for d in deployments
        ],
        "pb:released-environments": [
            {
                "title": f"Version released to {r.environment.display_name}",
                "name": r.environment.display_name,
                "href": url(request, "released-versions", r.uuid),
                "currently_supported": r.support_ended_at is None,
            }
            for r in releases
        ],
        "pb:record-deployment": [
            env_link(f"Record deployment to {e.display_name}", e, deployed_versions_for_version_url)
            for e in environments
        ],
        "pb:record-release": [
            env_link(f"Record release to {e.display_name}", e, released_versions_for_version_url) for e in environments
        ],
    }


def provider_versions_deployed_or_released(provider) -> list[tuple[Version, str]]:
    """(version, description) for each of the provider's versions currently deployed to or released
    (and supported) in an environment: `contract_requiring_verification_published` asks each of
    them to verify a new pact, as the broker does."""
    found: list[tuple[Version, str]] = []
    for current in CurrentlyDeployedVersion.objects.filter(pacticipant=provider).select_related(
        "version", "environment"
    ):
        found.append((current.version, f"deployed to {current.environment.name}"))
    for released in ReleasedVersion.objects.filter(pacticipant=provider, support_ended_at__isnull=True).select_related(
        "version", "environment"
    ):
        found.append((released.version, f"released to {released.environment.name}"))
    return found


def pacticipant_deployed_environments(request, pacticipant) -> dict:
    """`pb:deployed-environments` of the pacticipant resource: every deployment of any of its versions
    (the broker's list, undeployed ones included, flagged)."""
    deployments = (
        DeployedVersion.objects.filter(pacticipant=pacticipant)
        .select_related("environment")
        .order_by("created_at", "pk")
    )
    links = []
    for deployed in deployments:
        name = deployed.environment.display_name
        links.append(
            {
                "title": f"Version deployed to {name}",
                "name": name,
                "href": url(request, "deployed-versions", deployed.uuid),
                "currently_deployed": deployed.undeployed_at is None,
            }
        )
    return {"pb:deployed-environments": links}
