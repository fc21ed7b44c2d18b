"""A pacticipant's page: details, labels, integrations, and a page of versions with their branches,
tags, deployments and releases (8 statements whatever the page size)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from apps.contracts.models import BranchHead, Integration, Label, Pacticipant, Version
from apps.environments.models import DeployedVersion, ReleasedVersion
from apps.ui.queries.integrations import version_labels

VERSIONS_PER_PAGE = 30


@dataclass
class VersionRow:
    version: Version
    branches: list[tuple[str, bool]] = field(default_factory=list)  # (name, is the branch head)
    tags: list[str] = field(default_factory=list)
    deployments: list[DeployedVersion] = field(default_factory=list)
    releases: list[ReleasedVersion] = field(default_factory=list)


@dataclass
class PacticipantPage:
    pacticipant: Pacticipant
    labels: list[str]
    consumes: list[Pacticipant]  # providers this pacticipant has pacts with
    provides: list[Pacticipant]  # consumers that have pacts with this pacticipant
    versions: list[VersionRow]
    page: int
    has_next: bool


def pacticipants_all() -> list[Pacticipant]:
    return list(Pacticipant.objects.order_by("name"))


def pacticipant_page(name: str, *, page: int = 1) -> PacticipantPage | None:
    pacticipant = Pacticipant.objects.filter(name=name).first()
    if pacticipant is None:
        return None
    labels = list(Label.objects.filter(pacticipant=pacticipant).order_by("name").values_list("name", flat=True))
    integrations = Integration.objects.filter(Q(consumer=pacticipant) | Q(provider=pacticipant)).select_related(
        "consumer", "provider"
    )
    consumes = sorted((i.provider for i in integrations if i.consumer_id == pacticipant.pk), key=lambda p: p.name)
    provides = sorted((i.consumer for i in integrations if i.provider_id == pacticipant.pk), key=lambda p: p.name)

    page = max(page, 1)
    start = (page - 1) * VERSIONS_PER_PAGE
    versions = list(
        Version.objects.filter(pacticipant=pacticipant).order_by("-order")[start : start + VERSIONS_PER_PAGE + 1]
    )
    has_next = len(versions) > VERSIONS_PER_PAGE
    versions = versions[:VERSIONS_PER_PAGE]
    rows = {v.pk: VersionRow(v) for v in versions}
    if rows:
        heads = set(BranchHead.objects.filter(version_id__in=rows).values_list("version_id", "branch_name"))
        branches, tags = version_labels(list(rows))
        for vid, row in rows.items():
            row.branches = [(name, (vid, name) in heads) for name in branches[vid]]
            row.tags = tags[vid]
        by_version = defaultdict(list)
        for deployed in (
            DeployedVersion.objects.filter(version_id__in=rows)
            .select_related("environment")
            .order_by("-created_at", "-id")
        ):
            by_version[deployed.version_id].append(deployed)
        for vid, found in by_version.items():
            rows[vid].deployments = found
        by_version = defaultdict(list)
        for released in (
            ReleasedVersion.objects.filter(version_id__in=rows)
            .select_related("environment")
            .order_by("-created_at", "-id")
        ):
            by_version[released.version_id].append(released)
        for vid, found in by_version.items():
            rows[vid].releases = found
    return PacticipantPage(pacticipant, labels, consumes, provides, list(rows.values()), page, has_next)


def versions_recent(pacticipant_name: str, limit: int = 20) -> list[str]:
    """The newest version numbers of a pacticipant (to suggest in the can-i-deploy form)."""
    return list(
        Version.objects.filter(pacticipant__name=pacticipant_name)
        .order_by("-order")
        .values_list("number", flat=True)[:limit]
    )
