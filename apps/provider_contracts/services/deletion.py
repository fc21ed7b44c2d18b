"""Deleting a provider version's contract, with the verification results its comparisons recorded."""

from django.db import transaction

from apps.accounts.audit import audit_record
from apps.core.errors import NotFound
from apps.provider_contracts.models import ComparisonVerification, ProviderContractPublication
from apps.verifications.services import verification_delete


def provider_contract_delete(*, provider_name: str, version_number: str) -> None:
    """Every publication of the version goes, and with it the results of its comparisons (the matrix
    then shows those pacts unverified by this version, as before it published). Content rows stay."""
    with transaction.atomic(savepoint=False):
        publications = ProviderContractPublication.objects.filter(
            provider__name=provider_name, provider_version__number=version_number
        )
        ids = list(publications.values_list("id", flat=True))
        if not ids:
            raise NotFound()
        results = (
            ComparisonVerification.objects.filter(publication_id__in=ids)
            .select_related("verification", "pact_version__consumer")
            .values_list("pact_version__consumer__name", "pact_version__sha", "verification__number")
        )
        for consumer_name, sha, number in list(results):
            verification_delete(
                consumer_name=consumer_name, provider_name=provider_name, pact_version_sha=sha, number=number
            )
        ProviderContractPublication.objects.filter(pk__in=ids).delete()
        audit_record(
            action="provider_contract.deleted",
            target=("provider_contract", version_number, f"{provider_name} {version_number}"),
            details={"provider": provider_name, "providerVersion": version_number},
        )
