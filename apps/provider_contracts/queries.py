"""Reads on provider contracts, their publications and comparison results."""

from apps.provider_contracts.models import Comparison, ComparisonVerification, ProviderContractPublication

_RELATED = ("provider", "provider_version", "contract_version")


def publication_current(provider_name: str, version_number: str) -> ProviderContractPublication | None:
    """The provider version's current contract (its newest publication)."""
    return (
        ProviderContractPublication.objects.select_related(*_RELATED)
        .filter(provider__name=provider_name, provider_version__number=version_number)
        .order_by("-id")
        .first()
    )


def publications_current_for_provider(provider_name: str):
    """The current publication of each provider version, newest version first (a queryset)."""
    current = (
        ProviderContractPublication.objects.filter(provider__name=provider_name)
        .order_by("provider_version_id", "-id")
        .distinct("provider_version_id")
        .values("id")
    )
    return (
        ProviderContractPublication.objects.select_related(*_RELATED)
        .defer("contract_version__content", "self_verification_content")
        .filter(pk__in=current)
        .order_by("-provider_version__order")
    )


def comparison_verifications_of_publication(publication_id: int) -> list[ComparisonVerification]:
    """Each consumer pact compared with this publication, with its comparison and verification."""
    return list(
        ComparisonVerification.objects.select_related(
            "comparison", "verification", "pact_version__consumer", "pact_version__provider"
        )
        .defer("pact_version__content")
        .filter(publication_id=publication_id)
        .order_by("pact_version__consumer__name", "-id")
    )


def comparison_verification_find(
    *, provider_name: str, provider_version_number: str, consumer_name: str, pact_version_sha: str
) -> ComparisonVerification | None:
    """The newest comparison result of a pact content with a provider version's contract."""
    return (
        ComparisonVerification.objects.select_related(
            "comparison",
            "verification",
            "publication__provider",
            "publication__provider_version",
            "publication__contract_version",
            "pact_version__consumer",
        )
        .defer("pact_version__content")
        .filter(
            publication__provider__name=provider_name,
            publication__provider_version__number=provider_version_number,
            pact_version__consumer__name=consumer_name,
            pact_version__sha=pact_version_sha,
        )
        .order_by("-id")
        .first()
    )


def comparison_verifications_by_verification(verification_ids: list[int]) -> dict[int, ComparisonVerification]:
    rows = (
        ComparisonVerification.objects.select_related("publication__provider_version", "pact_version__consumer")
        .defer("pact_version__content")
        .filter(verification_id__in=verification_ids)
    )
    return {row.verification_id: row for row in rows}


def comparison_for(pact_version_id: int, contract_version_id: int) -> Comparison | None:
    return Comparison.objects.filter(pact_version_id=pact_version_id, contract_version_id=contract_version_id).first()
