"""The provider contract page (bi-directional contract testing): the OpenAPI operations, the
provider's self-verification report, and each consumer's comparison with its mismatches."""

from django.http import Http404
from django.shortcuts import render

from apps.accounts.permissions import Perm, require_permission
from apps.provider_contracts import queries
from apps.ui.provider_contract_document import contract_document, mismatches_by_interaction


@require_permission(Perm.CONTRACT_DATA_READ)
def provider_contract(request, provider, version):
    publication = queries.publication_current(provider, version)
    if publication is None:
        raise Http404("No provider contract for this version")
    comparisons = []
    seen = set()
    for row in queries.comparison_verifications_of_publication(publication.pk):
        if row.pact_version_id in seen:
            continue
        seen.add(row.pact_version_id)
        comparisons.append(
            {
                "row": row,
                "consumer": row.pact_version.consumer.name,
                "groups": mismatches_by_interaction(row.comparison.results),
                "success": row.verification.success,
                "compatible": row.comparison.success,
            }
        )
    return render(
        request,
        "ui/provider_contract.html",
        {
            "publication": publication,
            "document": contract_document(publication.contract_version.content),
            "comparisons": comparisons,
        },
    )
