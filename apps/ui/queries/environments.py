"""Environments: what is deployed or released where, and when (4 statements)."""

from collections import defaultdict
from dataclasses import dataclass, field

from apps.environments.models import CurrentlyDeployedVersion, DeployedVersion, Environment, ReleasedVersion
from apps.environments.queries import environments_list

HISTORY_LIMIT = 50


@dataclass
class EnvironmentView:
    environment: Environment
    deployed: list[DeployedVersion] = field(default_factory=list)  # currently deployed
    released: list[ReleasedVersion] = field(default_factory=list)  # released and still supported


def environments_overview() -> tuple[list[EnvironmentView], list]:
    """Each environment with its current deployments and supported releases, plus the latest
    deployment and release events anywhere (newest first)."""
    views = {e.pk: EnvironmentView(e) for e in environments_list()}
    if not views:
        return [], []
    current = CurrentlyDeployedVersion.objects.select_related("deployed_version__version__pacticipant").order_by(
        "pacticipant__name", "target_for_index"
    )
    for row in current:
        views[row.environment_id].deployed.append(row.deployed_version)
    by_env = defaultdict(list)
    for released in (
        ReleasedVersion.objects.filter(support_ended_at__isnull=True)
        .select_related("version__pacticipant")
        .order_by("pacticipant__name", "-created_at")
    ):
        by_env[released.environment_id].append(released)
    for env_id, found in by_env.items():
        views[env_id].released = found
    deployments = list(
        DeployedVersion.objects.select_related("version__pacticipant", "environment").order_by("-created_at", "-id")[
            :HISTORY_LIMIT
        ]
    )
    return list(views.values()), deployments
