"""Environments: one grid of applications × environments (what runs where now) and the latest
deployments anywhere (4 statements whatever the data).

**Drift**: an application whose environments do not all run the same versions (say staging ahead
of production) is "drifted"; in its row, every cell whose versions differ from the production
environment's (the first production environment; else the first column) is highlighted. An
application in only one environment has nothing to drift from.
"""

from dataclasses import dataclass, field

from apps.environments.models import CurrentlyDeployedVersion, DeployedVersion, Environment, ReleasedVersion
from apps.environments.queries import environments_list

HISTORY_LIMIT = 50


@dataclass
class Cell:
    deployed: list[tuple[str, str | None]] = field(default_factory=list)  # (version, application instance)
    released: list[str] = field(default_factory=list)  # released and still supported
    differs: bool = False

    @property
    def versions(self) -> frozenset[str]:
        return frozenset([v for v, _ in self.deployed] + self.released)


@dataclass
class GridRow:
    application: str
    cells: list[Cell]
    drifted: bool = False


@dataclass
class EnvironmentGrid:
    environments: list[Environment]
    rows: list[GridRow]
    baseline: int  # the index of the column the others are compared with

    @property
    def baseline_name(self) -> str:
        environment = self.environments[self.baseline]
        return environment.display_name or environment.name

    @property
    def drifted(self) -> int:
        return sum(1 for row in self.rows if row.drifted)


def environments_grid() -> EnvironmentGrid:
    environments = environments_list()
    columns = {e.pk: n for n, e in enumerate(environments)}
    baseline = next((n for n, e in enumerate(environments) if e.production), 0)
    rows: dict[str, GridRow] = {}

    def cell(application: str, environment_id: int) -> Cell:
        row = rows.setdefault(application, GridRow(application, [Cell() for _ in environments]))
        return row.cells[columns[environment_id]]

    for application, environment_id, number, target in CurrentlyDeployedVersion.objects.order_by(
        "target_for_index"
    ).values_list("pacticipant__name", "environment_id", "version__number", "deployed_version__target"):
        cell(application, environment_id).deployed.append((number, target))
    for application, environment_id, number in (
        ReleasedVersion.objects.filter(support_ended_at__isnull=True)
        .order_by("-version__order")
        .values_list("pacticipant__name", "environment_id", "version__number")
    ):
        cell(application, environment_id).released.append(number)
    for row in rows.values():
        present = [c for c in row.cells if c.versions]
        row.drifted = len({c.versions for c in present}) > 1
        if row.drifted:
            base = row.cells[baseline].versions
            for c in present:
                c.differs = c.versions != base
    return EnvironmentGrid(environments, sorted(rows.values(), key=lambda r: r.application.lower()), baseline)


def deployments_recent() -> list[DeployedVersion]:
    """The latest deployment events anywhere, newest first."""
    return list(
        DeployedVersion.objects.select_related("version__pacticipant", "environment").order_by("-created_at", "-id")[
            :HISTORY_LIMIT
        ]
    )
