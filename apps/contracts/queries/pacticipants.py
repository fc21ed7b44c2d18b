"""Reads on pacticipants, versions, branches, tags and labels."""

from django.db.models.functions import Lower

from apps.contracts.models import (
    Branch,
    BranchHead,
    BranchVersion,
    Integration,
    Label,
    LatestPactPublication,
    Pacticipant,
    Tag,
    Version,
)


def pacticipant_find(name: str) -> Pacticipant | None:
    """Exact, case-sensitive lookup (the broker's default `use_case_sensitive_resource_names`)."""
    return Pacticipant.objects.filter(name=name).first()


def version_find(pacticipant: Pacticipant, number: str) -> Version | None:
    return Version.objects.filter(pacticipant=pacticipant, number=number).first()


def latest_version(pacticipant: Pacticipant) -> Version | None:
    return Version.objects.filter(pacticipant=pacticipant).order_by("-order").first()


def latest_version_with_tag(pacticipant: Pacticipant, tag: str) -> Version | None:
    tag_row = (
        Tag.objects.filter(pacticipant=pacticipant, name=tag)
        .order_by("-version_order")
        .select_related("version")
        .first()
    )
    return tag_row.version if tag_row else None


def branch_head_version(pacticipant: Pacticipant, branch: str) -> Version | None:
    head = BranchHead.objects.filter(pacticipant=pacticipant, branch_name=branch).select_related("version").first()
    return head.version if head else None


# --- Reads for the pacticipant/version/branch/tag/label API ----------------------------------------
# Lists are fetched as one queryset and then decorated by the `*_details_attach` helpers, each
# a fixed number of queries whatever the list's length (no N+1).


def pacticipants_list(*, query: str | None = None, label: str | None = None):
    """Pacticipants sorted by name case-insensitively; `query` is a case-insensitive substring of the name."""
    rows = Pacticipant.objects.all()
    if query:
        rows = rows.filter(name__icontains=query)
    if label is not None:
        rows = rows.filter(labels__name=label)
    return rows.order_by(Lower("name"), "name")


def pacticipants_details_attach(pacticipants: list[Pacticipant]) -> list[Pacticipant]:
    """Set `label_list` and `latest_version` on each pacticipant: two queries for the whole list."""
    by_id = {pacticipant.pk: pacticipant for pacticipant in pacticipants}
    for pacticipant in pacticipants:
        pacticipant.label_list = []
        pacticipant.latest_version = None
    if not by_id:
        return pacticipants
    for label in Label.objects.filter(pacticipant_id__in=by_id).order_by("name"):
        by_id[label.pacticipant_id].label_list.append(label)
    # DISTINCT ON (pacticipant) over the (pacticipant, -order) index: the latest version of each.
    latest = Version.objects.filter(pacticipant_id__in=by_id).order_by("pacticipant_id", "-order")
    for version in latest.distinct("pacticipant_id"):
        owner = by_id[version.pacticipant_id]
        version.pacticipant = owner
        owner.latest_version = version
    return pacticipants


def pacticipant_detailed(name: str) -> Pacticipant | None:
    pacticipant = pacticipant_find(name)
    if pacticipant is not None:
        pacticipants_details_attach([pacticipant])
    return pacticipant


def versions_for_pacticipant(pacticipant: Pacticipant):
    """Newest first (highest `order`)."""
    return Version.objects.filter(pacticipant=pacticipant).select_related("pacticipant").order_by("-order")


def versions_on_branch(branch: Branch):
    return Version.objects.filter(branch_versions__branch=branch).select_related("pacticipant").order_by("-order")


def versions_with_tag(pacticipant: Pacticipant, tag_name: str):
    return (
        Version.objects.filter(pacticipant=pacticipant, tags__name=tag_name)
        .select_related("pacticipant")
        .order_by("-order")
    )


def version_details_attach(versions: list[Version]) -> list[Version]:
    """Set `tag_list`, `branch_version_list` (with `is_head`) and `pact_provider_names` on each version.

    Three queries for the whole list.
    """
    by_id = {version.pk: version for version in versions}
    for version in versions:
        version.tag_list, version.branch_version_list, version.pact_provider_names = [], [], []
    if not by_id:
        return versions
    for tag in Tag.objects.filter(version_id__in=by_id).order_by("created_at", "id"):
        by_id[tag.version_id].tag_list.append(tag)
    branch_versions = (
        BranchVersion.objects.filter(version_id__in=by_id).select_related("branch__head").order_by("created_at", "id")
    )
    for branch_version in branch_versions:
        head = getattr(branch_version.branch, "head", None)
        branch_version.is_head = head is not None and head.branch_version_id == branch_version.pk
        branch_version.version_number = by_id[branch_version.version_id].number
        by_id[branch_version.version_id].branch_version_list.append(branch_version)
    pacts = LatestPactPublication.objects.filter(consumer_version_id__in=by_id).values_list(
        "consumer_version_id", "provider__name"
    )
    for version_id, provider_name in pacts:
        by_id[version_id].pact_provider_names.append(provider_name)
    for version in versions:
        version.pact_provider_names.sort(key=str.lower)
    return versions


def branches_for_pacticipant(pacticipant: Pacticipant, *, query: str | None = None):
    """Most recently updated first (the broker's branch list order)."""
    rows = Branch.objects.filter(pacticipant=pacticipant)
    if query:
        rows = rows.filter(name__icontains=query)
    return rows.order_by("-updated_at", "-id")


def branch_find(pacticipant: Pacticipant, name: str) -> Branch | None:
    return Branch.objects.filter(pacticipant=pacticipant, name=name).first()


def branch_version_find(pacticipant: Pacticipant, branch_name: str, number: str) -> BranchVersion | None:
    return (
        BranchVersion.objects.filter(pacticipant=pacticipant, branch_name=branch_name, version__number=number)
        .select_related("version", "pacticipant", "branch")
        .first()
    )


def tag_find(pacticipant: Pacticipant, number: str, name: str) -> Tag | None:
    return (
        Tag.objects.filter(pacticipant=pacticipant, version__number=number, name=name)
        .select_related("version__pacticipant")
        .first()
    )


def label_find(pacticipant: Pacticipant, name: str) -> Label | None:
    return Label.objects.filter(pacticipant=pacticipant, name=name).select_related("pacticipant").first()


def label_names():
    """Distinct label names, sorted."""
    return Label.objects.order_by("name").values_list("name", flat=True).distinct()


def integrations_count() -> int:
    """Integrations in the current schema (the plan limit counts them: billing.limits)."""
    return Integration.objects.count()


def integrations_existing(*, consumer_name: str, provider_names) -> set[str]:
    """Those of `provider_names` the consumer already has an integration with."""
    return set(
        Integration.objects.filter(consumer__name=consumer_name, provider__name__in=set(provider_names)).values_list(
            "provider__name", flat=True
        )
    )
