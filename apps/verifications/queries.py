"""Reads on verification results. "Latest" goes through `LatestVerification` (kept on write)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Subquery

from apps.contracts.models import LatestPactPublication, PactVersion, Version
from apps.verifications.models import LatestVerification, Verification

_RELATED = ("provider_version", "pact_version", "consumer", "provider")


def pact_version_find(consumer_name: str, provider_name: str, sha: str) -> PactVersion | None:
    return (
        PactVersion.objects.select_related("consumer", "provider")
        .defer("content")
        .filter(consumer__name=consumer_name, provider__name=provider_name, sha=sha)
        .first()
    )


def pact_version_for_verification(
    consumer_name: str, provider_name: str, sha: str, consumer_version_ids: list[int]
) -> PactVersion | None:
    """The content a verification result is for, in one statement, annotated with the consumer
    version number naming the pact (its newest publication) and the numbers of the consumer
    versions the pact URL's metadata names (for the webhook event)."""
    newest = (
        LatestPactPublication.objects.filter(pact_version_id=OuterRef("pk"))
        .order_by("-consumer_version_order")
        .values("consumer_version__number")[:1]
    )
    selected = ArraySubquery(
        Version.objects.filter(pk__in=consumer_version_ids or [-1], pacticipant_id=OuterRef("consumer_id")).values(
            "number"
        )
    )
    return (
        PactVersion.objects.select_related("consumer", "provider")
        .defer("content")
        .annotate(latest_consumer_version_number=Subquery(newest), selected_consumer_version_numbers=selected)
        .filter(consumer__name=consumer_name, provider__name=provider_name, sha=sha)
        .first()
    )


def verification_find(consumer_name: str, provider_name: str, sha: str, number: int) -> Verification | None:
    return (
        Verification.objects.select_related(*_RELATED)
        .defer("pact_version__content")
        .filter(
            consumer__name=consumer_name,
            provider__name=provider_name,
            pact_version__sha=sha,
            number=number,
        )
        .first()
    )


def verification_latest_for_pact_version(pact_version_id: int) -> Verification | None:
    """The most recently created of the latest-per-provider-version verifications of this content."""
    latest = (
        LatestVerification.objects.filter(pact_version_id=pact_version_id)
        .order_by("-verification_id")
        .values("verification_id")[:1]
    )
    return Verification.objects.select_related(*_RELATED).defer("pact_version__content").filter(pk__in=latest).first()


def verifications_latest_for_pact_versions(pact_version_ids: list[int]) -> dict[int, Verification]:
    """{pact_version_id: latest verification}, one query for any number of contents."""
    ids = (
        LatestVerification.objects.filter(pact_version_id__in=pact_version_ids)
        .order_by("pact_version_id", "-verification_id")
        .distinct("pact_version_id")
        .values("verification_id")
    )
    rows = Verification.objects.select_related(*_RELATED).defer("pact_version__content").filter(pk__in=ids)
    return {row.pact_version_id: row for row in rows}


def latest_publication_for_content(pact_version_id: int) -> LatestPactPublication | None:
    """The newest publication of a content: names the pact a verification belongs to."""
    return (
        LatestPactPublication.objects.select_related("consumer_version")
        .filter(pact_version_id=pact_version_id)
        .order_by("-consumer_version_order")
        .first()
    )


def providers_with_verifications(*, consumer_id: int, provider_ids: list[int]) -> set[int]:
    return set(
        LatestVerification.objects.filter(consumer_id=consumer_id, provider_id__in=provider_ids)
        .values_list("provider_id", flat=True)
        .distinct()
    )


def verification_latest_for_integration(consumer_id: int, provider_id: int) -> Verification | None:
    latest = (
        LatestVerification.objects.filter(consumer_id=consumer_id, provider_id=provider_id)
        .order_by("-verification_id")
        .values("verification_id")[:1]
    )
    return (
        Verification.objects.select_related("pact_version").defer("pact_version__content").filter(pk__in=latest).first()
    )


def verification_latest_for_tags(
    *, consumer_id: int, provider_id: int, consumer_tag: str, provider_tag: str
) -> Verification | None:
    """The latest verification by a provider version with `provider_tag` of content published by a
    consumer version with `consumer_tag` (the matrix badge's)."""
    return (
        Verification.objects.filter(
            consumer_id=consumer_id,
            provider_id=provider_id,
            provider_version__tags__name=provider_tag,
            pact_version__publications__consumer_version__tags__name=consumer_tag,
        )
        .order_by("-id")
        .defer("test_results")
        .first()
    )
