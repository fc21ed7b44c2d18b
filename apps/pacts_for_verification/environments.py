"""The read interface pacts-for-verification needs from environments, deployed and released versions.

Raw SQL over apps.environments' tables, so a whole selector list costs at most two statements: one
to validate environment names, one to list the consumer versions currently deployed (through the
`currentlydeployedversion` table the environments app keeps on write) or released and still
supported in them.
"""

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class EnvironmentVersion:
    """A consumer version currently deployed to, or released and supported in, an environment."""

    version_id: int
    environment_name: str
    production: bool
    target: str | None  # the deployment's application instance; None for releases
    kind: str  # "deployed" or "released"


def environment_names_existing(names: list[str]) -> set[str]:
    if not names:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM environments_environment WHERE name = ANY(%s)", [list(names)])
        return {row[0] for row in cursor.fetchall()}


def deployed_or_released_consumer_versions(
    *, provider_id: int, environment_names: list[str] | None = None, deployed: bool = True, released: bool = True
) -> list[EnvironmentVersion]:
    """Versions of the provider's consumers currently deployed/released (optionally only in some environments)."""
    if not (deployed or released):
        return []
    arms, params = [], []
    env_filter = " AND e.name = ANY(%s)" if environment_names else ""
    if deployed:
        arms.append(
            "SELECT c.version_id, e.name, e.production, d.target, 'deployed'"
            " FROM environments_currentlydeployedversion c"
            " JOIN environments_deployedversion d ON d.id = c.deployed_version_id"
            " JOIN environments_environment e ON e.id = c.environment_id"
            " WHERE c.pacticipant_id IN"
            " (SELECT consumer_id FROM contracts_integration WHERE provider_id = %s)" + env_filter
        )
        params += [provider_id] + ([list(environment_names)] if environment_names else [])
    if released:
        arms.append(
            "SELECT r.version_id, e.name, e.production, NULL, 'released' FROM environments_releasedversion r"
            " JOIN environments_environment e ON e.id = r.environment_id"
            " WHERE r.support_ended_at IS NULL AND r.pacticipant_id IN"
            " (SELECT consumer_id FROM contracts_integration WHERE provider_id = %s)" + env_filter
        )
        params += [provider_id] + ([list(environment_names)] if environment_names else [])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(arms), params)
        return [EnvironmentVersion(*row) for row in cursor.fetchall()]
