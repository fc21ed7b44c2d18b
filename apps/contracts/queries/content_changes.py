"""Whether a publication changed the contract, and why, in the broker's words.

One rule for two readers: the webhooks app fires `contract_content_changed` when the list of reasons
is not empty, and `/contracts/publish` prints the list in its "Events detected" notice.

For a consumer version that had a pact for this provider before (a republish), the content changed
when it differs from before. For a new pact: with no consumer version tags, compared with the latest
earlier pact of an untagged consumer version; with tags, for each tag, with the latest earlier pact
of a consumer version with that tag. A missing earlier pact is a change too ("first time ...").
Branches are not considered, as in the broker.

Two statements whatever the number of pacts and tags (publishing is a hot path): the version's tags,
then the latest earlier pact per provider (and tag).
"""

from django.db.models import Exists, F, OuterRef

from apps.contracts.models import LatestPactPublication, PactPublication, Tag

REPUBLISHED_WITH_CHANGES = "pact content changed since the previous publication for this consumer version"


def content_change_reasons(publication: PactPublication, previous_sha: str | None) -> list[str]:
    """The reasons `publication` changed the contract (empty: it did not). `previous_sha`: the
    content of this consumer version's pact before the publish, None for a new pact."""
    sha = publication.pact_version.sha
    if previous_sha is not None:
        return [REPUBLISHED_WITH_CHANGES] if previous_sha != sha else []
    return new_pacts_change_reasons(
        consumer_id=publication.consumer_id,
        consumer_version_id=publication.consumer_version_id,
        consumer_version_order=publication.consumer_version_order,
        shas={publication.provider_id: sha},
    )[publication.provider_id]


def new_pacts_change_reasons(
    *, consumer_id: int, consumer_version_id: int, consumer_version_order: int, shas: dict[int, str]
) -> dict[int, list[str]]:
    """For new pacts of one consumer version (`shas`: provider id -> content SHA), the reasons each
    changed the contract, by provider id."""
    tags = list(
        Tag.objects.filter(version_id=consumer_version_id).order_by("created_at", "id").values_list("name", flat=True)
    )
    earlier = LatestPactPublication.objects.filter(
        consumer_id=consumer_id, provider_id__in=list(shas), consumer_version_order__lt=consumer_version_order
    )
    if not tags:
        untagged = earlier.filter(~Exists(Tag.objects.filter(version_id=OuterRef("consumer_version_id"))))
        previous = {
            provider_id: sha
            for provider_id, sha in untagged.order_by("provider_id", "-consumer_version_order")
            .distinct("provider_id")
            .values_list("provider_id", "pact_version__sha")
        }
        reasons = {}
        for provider_id, sha in shas.items():
            if provider_id not in previous:
                reasons[provider_id] = ["first time untagged pact published"]
            elif previous[provider_id] != sha:
                reasons[provider_id] = ["pact content has changed since previous untagged version"]
            else:
                reasons[provider_id] = []
        return reasons
    tagged = (
        earlier.filter(consumer_version__tags__name__in=tags)
        .annotate(tag=F("consumer_version__tags__name"))
        .order_by("provider_id", "tag", "-consumer_version_order")
        .distinct("provider_id", "tag")
        .values_list("provider_id", "tag", "pact_version__sha")
    )
    previous = {(provider_id, tag): sha for provider_id, tag, sha in tagged}
    reasons = {provider_id: [] for provider_id in shas}
    for provider_id, sha in shas.items():
        for tag in tags:
            before = previous.get((provider_id, tag))
            if before is None:
                reasons[provider_id].append(
                    f"first time any pact published for this consumer with consumer version tagged {tag}"
                )
            elif before != sha:
                reasons[provider_id].append(
                    f"pact content has changed since the last consumer version tagged with {tag}"
                )
    return reasons
