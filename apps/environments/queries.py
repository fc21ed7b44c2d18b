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


def environment_links_prefetch(request, versions) -> None:
    """Load, in 3 queries, what `version_links_for_environments` needs for many versions at once
    (a versions list), and keep it on the request so each version then costs no query."""
    ids = [v.pk for v in versions]
    deployed: dict[int, set[int]] = {i: set() for i in ids}
    released: dict[int, set[int]] = {i: set() for i in ids}
    for version_id, env_id in CurrentlyDeployedVersion.objects.filter(version_id__in=ids).values_list(
        "version_id", "environment_id"
    ):
        deployed[version_id].add(env_id)
    for version_id, env_id in ReleasedVersion.objects.filter(
        version_id__in=ids, support_ended_at__isnull=True
    ).values_list("version_id", "environment_id"):
        released[version_id].add(env_id)
    request._environment_links = (environments_list(), deployed, released)


def version_links_for_environments(request, version: Version) -> dict:
    """The version resource's environment links, as the broker provides them (3 queries, or none
    after `environment_links_prefetch` for a list):

    - `pb:record-deployment` and `pb:record-release`: one link per environment (name = environment
      name), to POST a deployment / release of this version;
    - `pb:deployed-environments`: the environments this version is currently deployed to;
    - `pb:released-environments`: the environments this version is released and supported in.

    Registered with the contracts app's version body in EnvironmentsConfig.ready().
    """
    from apps.environments.hal.environments import deployed_versions_for_version_url, released_versions_for_version_url

    prefetched = getattr(request, "_environment_links", None)
    if prefetched is not None and version.pk in prefetched[1]:
        environments, deployed_env_ids, released_env_ids = (
            prefetched[0],
            prefetched[1][version.pk],
            prefetched[2][version.pk],
        )
    else:
        environments = environments_list()
        deployed_env_ids = set(
            CurrentlyDeployedVersion.objects.filter(version=version).values_list("environment_id", flat=True)
        )
        released_env_ids = set(
            ReleasedVersion.objects.filter(version=version, support_ended_at__isnull=True).values_list(
                "environment_id", flat=True
            )
        )
    pacticipant = version.pacticipant

    def env_link(title: str, environment: Environment, url_builder) -> dict:
        return {
            "title": title,
            "name": environment.name,
            "href": url_builder(request, pacticipant.name, version.number, environment.uuid),
        }

    return {
        "pb:deployed-environments": [
            env_link(f"Version deployed to {e.display_name}", e, deployed_versions_for_version_url)
            for e in environments
            if e.pk in deployed_env_ids
        ],
        "pb:released-environments": [
            env_link(f"Version released to {e.display_name}", e, released_versions_for_version_url)
            for e in environments
            if e.pk in released_env_ids
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
