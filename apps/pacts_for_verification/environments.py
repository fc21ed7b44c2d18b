"""The read interface pacts-for-verification needs from environments, deployed and released versions.

TO ADAPT AFTER MERGING `apps.environments`: this module is the only place that knows about those
tables. It is written in raw SQL against the tables the environments engineer is creating —

    environments_environment(id, name, production, ...)
    environments_deployedversion(id, version_id, pacticipant_id, environment_id, target, undeployed_at, ...)
    environments_releasedversion(id, version_id, pacticipant_id, environment_id, support_ended_at, ...)

— with "currently deployed" read as `undeployed_at IS NULL` and "currently supported" as
`support_ended_at IS NULL`. If the real schema differs (e.g. a currently-deployed table should be
joined instead), change the two SQL statements below (or call the environments app's `queries.py`)
and keep the two function signatures. Until those tables exist, both functions answer "nothing"
(checked with `to_regclass`, once per schema and process once the tables are there).

Two statements at most per request: one to validate environment names, one to list versions.
"""
from dataclasses import dataclass

from django.db import connection

TABLES = ("environments_environment", "environments_deployedversion", "environments_releasedversion")
_present_in_schemas: set[str] = set()


@dataclass(frozen=True)
class EnvironmentVersion:
    """A consumer version currently deployed to, or released and supported in, an environment."""

    version_id: int
    environment_name: str
    production: bool
    target: str | None  # the deployment's application instance; None for releases
    kind: str  # "deployed" or "released"


def _tables_present() -> bool:
    schema = connection.schema_name if hasattr(connection, "schema_name") else "public"
    if schema in _present_in_schemas:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("to_regclass(%s) IS NOT NULL" for _ in TABLES), TABLES)
        present = all(cursor.fetchone())
    if present:
        _present_in_schemas.add(schema)
    return present


def forget_tables() -> None:
    """Tests that create or drop the environment tables call this."""
    _present_in_schemas.clear()


def environment_names_existing(names: list[str]) -> set[str]:
    if not names or not _tables_present():
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM environments_environment WHERE name = ANY(%s)", [list(names)])
        return {row[0] for row in cursor.fetchall()}


def deployed_or_released_consumer_versions(*, provider_id: int, environment_names: list[str] | None = None,
                                           deployed: bool = True, released: bool = True
                                           ) -> list[EnvironmentVersion]:
    """Versions of the provider's consumers currently deployed/released (optionally only in some environments)."""
    if not (deployed or released) or not _tables_present():
        return []
    arms, params = [], []
    env_filter = " AND e.name = ANY(%s)" if environment_names else ""
    if deployed:
        arms.append(
            "SELECT d.version_id, e.name, e.production, d.target, 'deployed' FROM environments_deployedversion d"
            " JOIN environments_environment e ON e.id = d.environment_id"
            " WHERE d.undeployed_at IS NULL AND d.pacticipant_id IN"
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
