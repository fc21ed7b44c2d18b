"""The applications list: a page of applications (pacticipants), each with a status tile.

A page costs a constant number of statements whatever the number of applications:

1. the count and 2. the page of applications matching the search, the team and "favourites only",
   the person's favourites first (an EXISTS per row), then by name;
3. the teams (for the filter) and 4. which teams own the page's applications (by name: teams own
   pacticipants by name, see apps/accounts/models.py);
5. the head of each application's main branch;
6. the latest pacts those main-branch versions published as consumers and 7. the newest
   verification of each of their contents;
8. the newest verification each main-branch version made as a provider, per consumer;
9. where each application is deployed now and 10. released (placements_for).

**Mergeability** of the main branch (the tile's colour): "failed" when a pact the main-branch head
published failed its latest verification or the head failed to verify a consumer's pact; else
"unverified" when one of its pacts is not verified yet; else "success" when there was something to
check; "none" when there is no main branch (or no version on it).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower

from apps.accounts.models import Team, TeamPacticipant
from apps.contracts.models import BranchHead, LatestPactPublication, Pacticipant
from apps.ui.models import Favourite
from apps.ui.queries.integrations import Placement, placements_for
from apps.verifications.models import Verification

PAGE_SIZE = 24

MERGEABILITY_TEXT = {
    "success": "Main branch verified",
    "failed": "Main branch fails verification",
    "unverified": "Main branch not yet verified",
    "none": "No main branch version",
}


@dataclass
class ApplicationTile:
    pacticipant: Pacticipant
    favourite: bool
    teams: list[str] = field(default_factory=list)
    main_version: str | None = None
    mergeability: str = "none"
    checked: int = 0  # pacts and verifications of the main-branch head looked at
    failed: int = 0
    unverified: int = 0
    placements: list[Placement] = field(default_factory=list)

    @property
    def mergeability_text(self) -> str:
        return MERGEABILITY_TEXT[self.mergeability]


@dataclass
class ApplicationsPage:
    tiles: list[ApplicationTile]
    teams: list[str]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def main_branch_status(tiles: dict[int, ApplicationTile]) -> None:
    """Statements 5-8: the main-branch head of each tile's application and how it verifies."""
    heads = {
        pid: (vid, number)
        for pid, vid, number in BranchHead.objects.filter(pacticipant_id__in=tiles)
        .filter(branch_name=F("pacticipant__main_branch"))
        .values_list("pacticipant_id", "version_id", "version__number")
    }
    if not heads:
        return
    owner = {vid: pid for pid, (vid, _) in heads.items()}
    for pid, (_, number) in heads.items():
        tiles[pid].main_version = number
    contents = {}
    for consumer_version_id, pact_version_id in LatestPactPublication.objects.filter(
        consumer_version_id__in=owner
    ).values_list("consumer_version_id", "pact_version_id"):
        contents.setdefault(pact_version_id, set()).add(owner[consumer_version_id])
    verified = set()
    if contents:
        for pact_version_id, success in (
            Verification.objects.filter(pact_version_id__in=list(contents))
            .order_by("pact_version_id", "-id")
            .distinct("pact_version_id")
            .values_list("pact_version_id", "success")
        ):
            verified.add(pact_version_id)
            for pid in contents[pact_version_id]:
                tiles[pid].checked += 1
                tiles[pid].failed += 0 if success else 1
    for pact_version_id, pids in contents.items():
        if pact_version_id not in verified:
            for pid in pids:
                tiles[pid].checked += 1
                tiles[pid].unverified += 1
    for provider_version_id, success in (
        Verification.objects.filter(provider_version_id__in=owner)
        .order_by("provider_version_id", "consumer_id", "-id")
        .distinct("provider_version_id", "consumer_id")
        .values_list("provider_version_id", "success")
    ):
        tile = tiles[owner[provider_version_id]]
        tile.checked += 1
        tile.failed += 0 if success else 1
    for tile in tiles.values():
        if tile.main_version is None:
            continue
        if tile.failed:
            tile.mergeability = "failed"
        elif tile.unverified:
            tile.mergeability = "unverified"
        elif tile.checked:
            tile.mergeability = "success"


def applications_page(*, user, search: str = "", team: str = "", favourites: bool = False, number: int = 1):
    applications = Pacticipant.objects.annotate(
        favourite=Exists(Favourite.objects.filter(user_id=user.pk, pacticipant_id=OuterRef("pk")))
    )
    search = search.strip()
    if search:
        applications = applications.filter(Q(name__icontains=search) | Q(display_name__icontains=search))
    if team:
        applications = applications.filter(
            name__in=TeamPacticipant.objects.filter(team__name=team).values("pacticipant_name")
        )
    if favourites:
        applications = applications.filter(favourite=True)
    total = applications.count()
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(1, number), pages)
    start = (number - 1) * PAGE_SIZE
    found = list(applications.order_by("-favourite", Lower("name"))[start : start + PAGE_SIZE])
    tiles = {p.pk: ApplicationTile(p, p.favourite) for p in found}
    teams = list(Team.objects.order_by("name").values_list("name", flat=True))
    if tiles:
        by_name = {t.pacticipant.name: t for t in tiles.values()}
        if teams:
            for name, team_name in TeamPacticipant.objects.filter(pacticipant_name__in=by_name).values_list(
                "pacticipant_name", "team__name"
            ):
                by_name[name].teams.append(team_name)
        main_branch_status(tiles)
        for pid, placements in placements_for(list(tiles)).items():
            tiles[pid].placements = placements
    return ApplicationsPage(list(tiles.values()), teams, number, PAGE_SIZE, total)
