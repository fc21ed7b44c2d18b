"""The dashboard and the network diagram: every integration with its latest pact and verification.

One row per integration (consumer -> provider), built in a constant number of statements whatever
the number of integrations (the dashboard must stay fast at 200 of them):

1. the integrations (with both pacticipants), optionally filtered by a name search;
2. the latest pact of each: the LatestPactPublication with the highest consumer version order per
   (consumer, provider), found in statement 1 by one probe of the `latest_pact_lookup` index per
   integration, then read by id;
3. the newest verification of each latest pact's *content* (verifications attach to content, so a
   new consumer version publishing identical content is already verified), found in statement 2 by
   one probe of `latest_verification_by_pact` per content, then read by id;
4. (in statement 1, an EXISTS per integration) whether the pair was ever verified: a latest content
   without a verification is then "stale" (the pact changed since it was last verified, the broker's
   wording);
5. branches and 6. tags of the versions shown (the consumer version of the latest pact, the
   provider version of the verification);
7. where each pacticipant is currently deployed and 8. released (supported).

The dashboard shows a page at a time: steps 1-4 run as plain values for every matching integration
(the status filter, the counts and the order need them; `IntegrationSummary`), then again with
model objects and steps 5-8 only for the rows of the page.

The verification status follows the broker's dashboard `verificationStatus`: success, failed,
failed_pending (a failure of a pending pact does not break the build), stale, never.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from apps.contracts.models import BranchVersion, Integration, LatestPactPublication, Pacticipant, Tag, Version
from apps.environments.models import CurrentlyDeployedVersion, ReleasedVersion
from apps.verifications.models import LatestVerification, Verification

STATUS_TEXT = {
    "success": "Verified",
    "failed": "Failed",
    "failed_pending": "Failed (pending)",
    "stale": "Changed since last verified",
    "never": "Not yet verified",
}
# The dashboard's status filter (and its summary counts): a friendly name for one or more statuses.
STATUS_FILTERS = {
    "failed": {"failed", "failed_pending"},
    "unverified": {"never"},
    "changed": {"stale"},
    "success": {"success"},
}
# The dashboard's orders: by last activity (newest first, the default), by name, or the most
# urgent first (failed, changed, not verified, verified), each then by last activity.
SORTS = ("activity", "consumer", "provider", "status")
_URGENCY = {"failed": 0, "failed_pending": 1, "stale": 2, "never": 3, "success": 4}


@dataclass
class Placement:
    """A pacticipant version currently deployed (or released) in an environment."""

    environment: str
    environment_display: str
    production: bool
    version: str
    kind: str  # deployed | released
    target: str | None = None


@dataclass
class IntegrationRow:
    consumer: Pacticipant
    provider: Pacticipant
    consumer_version: Version | None = None
    pact_created_at: datetime | None = None
    pact_sha: str | None = None
    verification: Verification | None = None
    status: str = "never"
    consumer_branches: list[str] = field(default_factory=list)
    consumer_tags: list[str] = field(default_factory=list)
    provider_branches: list[str] = field(default_factory=list)
    provider_tags: list[str] = field(default_factory=list)
    consumer_placements: list[Placement] = field(default_factory=list)
    provider_placements: list[Placement] = field(default_factory=list)
    # The pages' addresses of both applications and of the pact (integrations_page fills them).
    consumer_href: str = ""
    provider_href: str = ""
    pact_href: str = ""

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def consumer_name(self) -> str:
        return self.consumer.name

    @property
    def provider_name(self) -> str:
        return self.provider.name

    @property
    def consumer_id(self) -> int:
        return self.consumer.pk

    @property
    def provider_id(self) -> int:
        return self.provider.pk

    @property
    def consumer_label(self) -> str:
        return self.consumer.display_name or self.consumer.name

    @property
    def provider_label(self) -> str:
        return self.provider.display_name or self.provider.name

    @property
    def last_activity(self) -> datetime | None:
        return _newest(self.pact_created_at, self.verification and self.verification.created_at)


@dataclass(slots=True)
class IntegrationSummary:
    """What the dashboard's filter, counts and order need of an integration, without model objects
    (building some 5,000 model instances for the 600 integrations of `big` was most of the page's
    time; only the rows of the page are built as IntegrationRow)."""

    consumer_id: int
    provider_id: int
    consumer_name: str
    provider_name: str
    consumer_label: str  # the display name, else the name
    provider_label: str
    pact_created_at: datetime | None = None
    verified_at: datetime | None = None
    status: str = "never"

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def last_activity(self) -> datetime | None:
        return _newest(self.pact_created_at, self.verified_at)


def _newest(*stamps: datetime | None) -> datetime | None:
    present = [s for s in stamps if s]
    return max(present) if present else None


def _status(verification: Verification | None, verified_before: bool) -> str:
    if verification is None:
        return "stale" if verified_before else "never"
    return _verified_status(verification.success, verification.pact_pending)


def _verified_status(success: bool, pact_pending: bool) -> str:
    if success:
        return "success"
    return "failed_pending" if pact_pending else "failed"


def placements_for(pacticipant_ids) -> dict[int, list[Placement]]:
    """Where each pacticipant is deployed now, and released and supported (2 statements)."""
    found: dict[int, list[Placement]] = defaultdict(list)
    deployed = (
        CurrentlyDeployedVersion.objects.filter(pacticipant_id__in=pacticipant_ids)
        .values_list(
            "pacticipant_id",
            "environment__name",
            "environment__display_name",
            "environment__production",
            "version__number",
            "deployed_version__target",
        )
        .order_by("environment__name", "deployed_version__target")
    )
    for pid, name, display, production, number, target in deployed:
        found[pid].append(Placement(name, display or name, production, number, "deployed", target))
    released = (
        ReleasedVersion.objects.filter(pacticipant_id__in=pacticipant_ids, support_ended_at__isnull=True)
        .values_list(
            "pacticipant_id",
            "environment__name",
            "environment__display_name",
            "environment__production",
            "version__number",
        )
        .order_by("environment__name", "version__order")
    )
    for pid, name, display, production, number in released:
        found[pid].append(Placement(name, display or name, production, number, "released"))
    return found


def version_labels(version_ids) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """(branches, tags) by version id (2 statements)."""
    branches: dict[int, list[str]] = defaultdict(list)
    tags: dict[int, list[str]] = defaultdict(list)
    if not version_ids:
        return branches, tags
    for vid, name in (
        BranchVersion.objects.filter(version_id__in=version_ids)
        .order_by("created_at", "id")
        .values_list("version_id", "branch_name")
    ):
        branches[vid].append(name)
    for vid, name in (
        Tag.objects.filter(version_id__in=version_ids).order_by("created_at", "name").values_list("version_id", "name")
    ):
        tags[vid].append(name)
    return branches, tags


def _integrations(
    *,
    search: str = "",
    consumer: str | None = None,
    provider: str | None = None,
    pacticipant: str | None = None,
    pairs: set[tuple[int, int]] | None = None,
):
    """The integrations matching the search (or exactly one pair, or those of one pacticipant on
    either side, or those of some (consumer id, provider id) pairs and possibly a few more), each
    with the id of its latest pact and whether it was ever verified."""
    integrations = Integration.objects.all()
    if pacticipant is not None:
        integrations = integrations.filter(Q(consumer__name=pacticipant) | Q(provider__name=pacticipant))
    if consumer is not None:
        integrations = integrations.filter(consumer__name=consumer)
    if provider is not None:
        integrations = integrations.filter(provider__name=provider)
    if pairs is not None:
        integrations = integrations.filter(consumer_id__in={c for c, _ in pairs}, provider_id__in={p for _, p in pairs})
    search = search.strip()
    if search:
        integrations = integrations.filter(Q(consumer__name__icontains=search) | Q(provider__name__icontains=search))
    # "Changed since last verified" needs only whether the pair was ever verified: one index probe
    # per integration (latest_verification_by_pair), not a DISTINCT over its whole history.
    # The latest pact of each integration: one probe of latest_pact_lookup per integration (a
    # DISTINCT ON over every latest publication sorted hundreds of thousands of rows on `big`).
    return integrations.annotate(
        latest_pact_id=Subquery(
            LatestPactPublication.objects.filter(
                consumer_id=OuterRef("consumer_id"), provider_id=OuterRef("provider_id")
            )
            .order_by("-consumer_version_order")
            .values("id")[:1]
        ),
        ever_verified=Exists(
            LatestVerification.objects.filter(consumer_id=OuterRef("consumer_id"), provider_id=OuterRef("provider_id"))
        ),
    )


def _latest_verification_id():
    """The newest verification of a latest pact's content: one probe of latest_verification_by_pact."""
    return Subquery(
        LatestVerification.objects.filter(pact_version_id=OuterRef("pact_version_id"))
        .order_by("-verification_id")
        .values("verification_id")[:1]
    )


def _rows(
    *,
    search: str = "",
    consumer: str | None = None,
    provider: str | None = None,
    pacticipant: str | None = None,
    pairs: set[tuple[int, int]] | None = None,
) -> dict[tuple, IntegrationRow]:
    """Steps 1-4: the integrations of `_integrations` with their latest pact, verification and
    status (3 statements; 2 when none of them is verified)."""
    integrations = _integrations(
        search=search, consumer=consumer, provider=provider, pacticipant=pacticipant, pairs=pairs
    ).select_related("consumer", "provider")
    if pairs is not None:
        integrations = [i for i in integrations if (i.consumer_id, i.provider_id) in pairs]
    rows = {(i.consumer_id, i.provider_id): IntegrationRow(i.consumer, i.provider) for i in integrations}
    ever_verified = {(i.consumer_id, i.provider_id) for i in integrations if i.ever_verified}
    if not rows:
        return rows

    # The newest verification of each latest content: one probe of latest_verification_by_pact each.
    latest_pacts = (
        LatestPactPublication.objects.filter(id__in=[i.latest_pact_id for i in integrations if i.latest_pact_id])
        .select_related("consumer_version", "pact_version", "pact_publication")
        .defer("pact_version__content")
        .annotate(latest_verification_id=_latest_verification_id())
    )
    content_of: dict[int, tuple] = {}
    verification_ids = []
    for latest in latest_pacts:
        row = rows.get((latest.consumer_id, latest.provider_id))
        if row is None:
            continue
        row.consumer_version = latest.consumer_version
        row.pact_created_at = latest.pact_publication.created_at
        row.pact_sha = latest.pact_version.sha
        content_of[latest.pact_version_id] = (latest.consumer_id, latest.provider_id)
        if latest.latest_verification_id:
            verification_ids.append(latest.latest_verification_id)

    verifications = (
        Verification.objects.filter(id__in=verification_ids)
        .select_related("provider_version")
        .defer("test_results", "consumer_version_selector_hashes", "tag_names")
    )
    for verification in verifications:
        rows[content_of[verification.pact_version_id]].verification = verification

    for key, row in rows.items():
        row.status = _status(row.verification, key in ever_verified)
    return rows


def _summaries(*, search: str) -> list[IntegrationSummary]:
    """Steps 1-4 for every integration matching the search, as plain values (3 statements; 2 when
    none of them is verified)."""
    found: dict[tuple, IntegrationSummary] = {}
    ever_verified, latest_pact_ids = set(), []
    for cid, pid, consumer, provider, consumer_display, provider_display, latest_pact_id, ever in _integrations(
        search=search
    ).values_list(
        "consumer_id",
        "provider_id",
        "consumer__name",
        "provider__name",
        "consumer__display_name",
        "provider__display_name",
        "latest_pact_id",
        "ever_verified",
    ):
        found[(cid, pid)] = IntegrationSummary(
            cid, pid, consumer, provider, consumer_display or consumer, provider_display or provider
        )
        if ever:
            ever_verified.add((cid, pid))
        if latest_pact_id:
            latest_pact_ids.append(latest_pact_id)
    by_verification: dict[int, IntegrationSummary] = {}
    if latest_pact_ids:
        latest_pacts = (
            LatestPactPublication.objects.filter(id__in=latest_pact_ids)
            .annotate(latest_verification_id=_latest_verification_id())
            .values_list("consumer_id", "provider_id", "pact_publication__created_at", "latest_verification_id")
        )
        for cid, pid, created_at, verification_id in latest_pacts:
            summary = found.get((cid, pid))
            if summary is not None:
                summary.pact_created_at = created_at
                if verification_id:
                    by_verification[verification_id] = summary
    if by_verification:
        for vid, success, pact_pending, created_at in Verification.objects.filter(id__in=by_verification).values_list(
            "id", "success", "pact_pending", "created_at"
        ):
            by_verification[vid].verified_at = created_at
            by_verification[vid].status = _verified_status(success, pact_pending)
    for key, summary in found.items():
        if summary.verified_at is None:
            summary.status = "stale" if key in ever_verified else "never"
    return list(found.values())


def _filtered_and_sorted(rows, status: str, sort: str = "activity") -> list:
    """IntegrationRows or IntegrationSummaries with a status the filter wants, in the order asked."""
    wanted = STATUS_FILTERS.get(status)
    result = [row for row in rows if wanted is None or row.status in wanted]
    result.sort(key=lambda r: (r.last_activity is not None, r.last_activity or datetime.min), reverse=True)
    if sort == "consumer":
        result.sort(key=lambda r: (r.consumer_name.lower(), r.provider_name.lower()))
    elif sort == "provider":
        result.sort(key=lambda r: (r.provider_name.lower(), r.consumer_name.lower()))
    elif sort == "status":
        result.sort(key=lambda r: _URGENCY[r.status])  # stable: newest first within a status
    return result


def status_counts(rows) -> dict[str, int]:
    """How many integrations each status filter would show."""
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    for row in rows:
        for name, statuses in STATUS_FILTERS.items():
            if row.status in statuses:
                counts[name] += 1
    return counts


def integration_details(rows: list[IntegrationRow]) -> None:
    """Steps 5-8 for the rows shown: branches, tags and placements (4 statements)."""
    if not rows:
        return
    version_ids = set()
    for row in rows:
        if row.consumer_version is not None:
            version_ids.add(row.consumer_version.pk)
        if row.verification is not None:
            version_ids.add(row.verification.provider_version_id)
    branches, tags = version_labels(version_ids)
    placements = placements_for({r.consumer.pk for r in rows} | {r.provider.pk for r in rows})
    for row in rows:
        if row.consumer_version is not None:
            row.consumer_branches = branches[row.consumer_version.pk]
            row.consumer_tags = tags[row.consumer_version.pk]
        if row.verification is not None:
            row.provider_branches = branches[row.verification.provider_version_id]
            row.provider_tags = tags[row.verification.provider_version_id]
        row.consumer_placements = placements[row.consumer.pk]
        row.provider_placements = placements[row.provider.pk]


def integrations_overview(
    *,
    search: str = "",
    status: str = "",
    details: bool = True,
    consumer: str | None = None,
    provider: str | None = None,
    pacticipant: str | None = None,
) -> list[IntegrationRow]:
    """Every integration (matching a consumer/provider name search and a status filter, or the one
    of `consumer` and `provider`), newest activity first, in at most 8 statements (4 without
    `details`: branches, tags, placements)."""
    rows = _filtered_and_sorted(
        _rows(search=search, consumer=consumer, provider=provider, pacticipant=pacticipant).values(), status
    )
    if details:
        integration_details(rows)
    return rows


@dataclass
class IntegrationsPage:
    """One page of the dashboard: its rows (with details) and where it sits in the whole list."""

    rows: list[IntegrationRow]
    number: int
    size: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)  # by status filter, before the status filter
    everything: int = 0  # integrations matching the search, whatever their status

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def integrations_page(
    *, search: str = "", status: str = "", sort: str = "activity", number: int = 1, size: int = 50
) -> IntegrationsPage:
    """One page of `integrations_overview`: statuses are worked out as plain values for every
    matching integration (the filter, the counts and the order need them), rows and details built
    only for the page's (3 + 3 + 4 statements). A page past the end is the last page."""
    matching = _summaries(search=search)
    ordered = _filtered_and_sorted(matching, status, sort)
    pages = max(1, -(-len(ordered) // size))
    number = min(max(1, number), pages)
    wanted = [(s.consumer_id, s.provider_id) for s in ordered[(number - 1) * size : number * size]]
    built = _rows(pairs=set(wanted)) if wanted else {}
    shown = [built[key] for key in wanted if key in built]  # an integration deleted meanwhile is left out
    integration_details(shown)
    application_url, pact_url = _url_maker("ui-application", 1), _url_maker("ui-pact", 2)
    for row in shown:
        row.consumer_href, row.provider_href = application_url(row.consumer.name), application_url(row.provider.name)
        row.pact_href = pact_url(row.provider.name, row.consumer.name)
    return IntegrationsPage(
        rows=shown,
        number=number,
        size=size,
        total=len(ordered),
        counts=status_counts(matching),
        everything=len(matching),
    )


def _url_maker(url_name: str, count: int):
    """`reverse(url_name, args=[...])` for many names at once: the route is resolved once and the
    names quoted as Django's reverse quotes them (hundreds of reverse() calls were most of the
    network page's time)."""
    marks = [f"__ARG{n}__" for n in range(count)]
    pattern = reverse(url_name, args=marks)

    def make(*names: str) -> str:
        url = pattern
        for mark, name in zip(marks, names, strict=True):
            url = url.replace(mark, quote(name, safe=RFC3986_SUBDELIMS + "/~:@"))
        return url

    return make


def network_overview() -> list[IntegrationSummary]:
    """Every integration with its status, newest activity first, as plain values (3 statements):
    what the network diagram draws."""
    return _filtered_and_sorted(_summaries(search=""), "")


def network_graph(rows: list) -> dict:
    """Nodes (pacticipants) and edges (integrations) for the network diagram, in cytoscape's shape,
    from IntegrationRows or IntegrationSummaries."""
    application_url, pact_url = _url_maker("ui-application", 1), _url_maker("ui-pact", 2)
    nodes: dict[int, dict] = {}
    edges = []
    for row in rows:
        for pk, name, label in (
            (row.consumer_id, row.consumer_name, row.consumer_label),
            (row.provider_id, row.provider_name, row.provider_label),
        ):
            if pk not in nodes:
                nodes[pk] = {"data": {"id": f"p{pk}", "label": label, "name": name, "href": application_url(name)}}
        edges.append(
            {
                "data": {
                    "id": f"i{row.consumer_id}-{row.provider_id}",
                    "source": f"p{row.consumer_id}",
                    "target": f"p{row.provider_id}",
                    "status": row.status,
                    "statusText": row.status_text,
                    "consumer": row.consumer_name,
                    "provider": row.provider_name,
                    "href": pact_url(row.provider_name, row.consumer_name),
                }
            }
        )
    return {"nodes": sorted(nodes.values(), key=lambda n: n["data"]["name"].lower()), "edges": edges}
