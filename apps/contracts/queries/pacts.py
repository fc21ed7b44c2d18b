"""Reads on pacts: which publication each "latest" URL means.

Everything reads `LatestPactPublication` (the current revision per consumer version and provider,
kept on write), joined to its content, version and pacticipants in the same statement, so a pact GET
is one query whatever the history. Meanings of "latest" (shared reference §1.3):
- `/latest`: the publication with the highest consumer version order;
- `/latest/{tag}` and `/branch/{b}/latest` ("old logic"): the latest *pact* whose consumer version
  carries the tag / is on the branch (so it always finds one if any such pact exists);
- `/latest-untagged`: the latest pact whose consumer version has no tags at all.
"""

from django.db.models import Exists, OuterRef, Q, Subquery

from apps.contracts.models import BranchVersion, Integration, LatestPactPublication, Pacticipant, Tag

_RELATED = ("consumer", "provider", "consumer_version", "pact_version", "pact_publication")


def _rows():
    return LatestPactPublication.objects.select_related(*_RELATED)


def _for_names(consumer_name: str, provider_name: str):
    return _rows().filter(consumer__name=consumer_name, provider__name=provider_name)


def _with_tag(rows, tag: str):
    return rows.filter(Exists(Tag.objects.filter(version_id=OuterRef("consumer_version_id"), name=tag)))


def _on_branch(rows, branch):
    """`branch` is a name, or OuterRef("consumer__main_branch") for each consumer's main branch."""
    return rows.filter(
        Exists(BranchVersion.objects.filter(version_id=OuterRef("consumer_version_id"), branch_name=branch))
    )


def _untagged(rows):
    return rows.filter(~Exists(Tag.objects.filter(version_id=OuterRef("consumer_version_id"))))


def pact_for_version(consumer_name: str, provider_name: str, number: str) -> LatestPactPublication | None:
    return _for_names(consumer_name, provider_name).filter(consumer_version__number=number).first()


def pacts_for_consumer_version(consumer_name: str, number: str) -> list[LatestPactPublication]:
    return list(
        _rows()
        .filter(consumer__name=consumer_name, consumer_version__number=number)
        .defer("pact_version__content")
        .order_by("provider__name")
    )


def pact_latest(
    consumer_name: str, provider_name: str, *, tag: str | None = None, branch: str | None = None, untagged: bool = False
) -> LatestPactPublication | None:
    rows = _for_names(consumer_name, provider_name)
    if tag is not None:
        rows = _with_tag(rows, tag)
    if branch is not None:
        rows = _on_branch(rows, branch)
    if untagged:
        rows = _untagged(rows)
    return rows.order_by("-consumer_version_order").first()


def pact_for_sha(
    consumer_name: str, provider_name: str, sha: str, consumer_version_number: str | None = None
) -> LatestPactPublication | None:
    """The latest publication having this content (or the one of the named consumer version)."""
    rows = _for_names(consumer_name, provider_name).filter(pact_version__sha=sha)
    if consumer_version_number is not None:
        named = rows.filter(consumer_version__number=consumer_version_number).first()
        if named is not None:
            return named
    return rows.order_by("-consumer_version_order").first()


def pact_previous_distinct(pact: LatestPactPublication) -> LatestPactPublication | None:
    """The latest earlier publication (by consumer version order) with different content."""
    return (
        _rows()
        .filter(
            consumer_id=pact.consumer_id,
            provider_id=pact.provider_id,
            consumer_version_order__lt=pact.consumer_version_order,
        )
        .exclude(pact_version_id=pact.pact_version_id)
        .order_by("-consumer_version_order")
        .first()
    )


def pact_versions(
    consumer: Pacticipant, provider: Pacticipant, *, tag: str | None = None, branch=None, latest_only: bool = False
) -> list[LatestPactPublication]:
    """Current publications between two pacticipants, newest first (optionally tag / branch)."""
    rows = _rows().filter(consumer=consumer, provider=provider)
    if tag is not None:
        rows = _with_tag(rows, tag)
    if branch is not None:
        rows = _on_branch(rows, branch)
    rows = rows.order_by("-consumer_version_order")
    return list(rows[:1] if latest_only else rows)


def provider_pacts(
    provider: Pacticipant, *, tag: str | None = None, branch=None, main_branch: bool = False, latest: bool = False
) -> list[LatestPactPublication]:
    """A provider's pacts with every consumer; `latest` keeps the newest per consumer.

    Latest-per-consumer is one query: a correlated subquery per integration picks the newest row
    through the (consumer, provider, order desc) index, instead of a DISTINCT over all history.
    """

    def restrict(rows):
        if tag is not None:
            rows = _with_tag(rows, tag)
        if branch is not None:
            rows = _on_branch(rows, branch)
        if main_branch:
            # Inside the Exists subquery, OuterRef is the publication row's consumer.
            rows = _on_branch(rows, OuterRef("consumer__main_branch"))
        return rows

    if not latest:
        rows = restrict(_rows().filter(provider=provider))
        return list(rows.order_by("consumer__name", "consumer_version_order"))  # oldest first, as the broker sorts
    newest = restrict(LatestPactPublication.objects.filter(consumer_id=OuterRef("consumer_id"), provider=provider))
    ids = (
        Integration.objects.filter(provider=provider)
        .annotate(latest_id=Subquery(newest.order_by("-consumer_version_order").values("pk")[:1]))
        .values("latest_id")
    )
    return list(_rows().filter(pk__in=ids).order_by("consumer__name"))


def latest_pacts() -> list[LatestPactPublication]:
    """The latest pact of every integration (`/pacts/latest`), one query."""
    newest = (
        LatestPactPublication.objects.filter(consumer_id=OuterRef("consumer_id"), provider_id=OuterRef("provider_id"))
        .order_by("-consumer_version_order")
        .values("pk")[:1]
    )
    ids = Integration.objects.annotate(latest_id=Subquery(newest)).values("latest_id")
    return list(_rows().filter(pk__in=ids).order_by("consumer__name", "provider__name"))


def integration_pair(consumer_name: str, provider_name: str) -> tuple[Pacticipant | None, Pacticipant | None]:
    found = {p.name: p for p in Pacticipant.objects.filter(Q(name=consumer_name) | Q(name=provider_name))}
    return found.get(consumer_name), found.get(provider_name)


def consumer_version_tag_names(version_id: int) -> list[str]:
    return list(Tag.objects.filter(version_id=version_id).order_by("created_at", "name").values_list("name", flat=True))
