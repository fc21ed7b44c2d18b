"""Comparing consumer pacts with provider contracts, off the request (tasks.py runs these).

Which pairs are compared: those the matrix and can-i-deploy can ask about, the way PactFlow
pre-computes them on publication (deployed versions, main and recent branches):

- when a provider version publishes a contract: the pacts of every consumer version of that provider
  that is a branch head, deployed or released (still supported), the latest with one of its tags,
  or the consumer's latest version with a pact for this provider;
- when a consumer version publishes a pact: the current contract of every provider version that is
  a branch head, deployed or released, the latest with one of its tags, or the provider's newest
  version with a contract.

A pair of other versions shows as unverified (unknown) in the matrix, as in PactFlow until it is
computed. Each pair of *contents* (pact content, contract content) is compared once (`Comparison`,
unique per pair): a new consumer version with the same pact, or a provider version re-publishing the
same description, reuses the verdict. For every (pact content, provider contract publication) a
verification result is then recorded through the verifications service (`verification_record`), so
the matrix, can-i-deploy, badges and `provider_verification_*` webhooks treat it like any result;
`ComparisonVerification` marks it as coming from a comparison and carries the reason can-i-deploy
shows. It is successful only when the pact is compatible *and* the provider's self-verification
succeeded (PactFlow's rule).
"""

import logging

from django.db import connection, transaction

from apps.contracts.models import BranchHead, LatestPactPublication, PactVersion, Tag, Version
from apps.environments.models import CurrentlyDeployedVersion, ReleasedVersion
from apps.provider_contracts.comparison import compare, description_problems
from apps.provider_contracts.comparison.result import SPEC_INVALID, WARNING, Mismatch
from apps.provider_contracts.models import (
    Comparison,
    ComparisonVerification,
    ProviderContractPublication,
    ProviderContractVersion,
)
from apps.verifications.services import verification_record

logger = logging.getLogger(__name__)

VERIFIER = "contract-broker cross-contract comparison"
VERIFIER_VERSION = "1"
REASON_MISMATCHES_SHOWN = 3

_T = {
    "latest_pact": LatestPactPublication._meta.db_table,
    "branch_head": BranchHead._meta.db_table,
    "tag": Tag._meta.db_table,
    "deployed": CurrentlyDeployedVersion._meta.db_table,
    "released": ReleasedVersion._meta.db_table,
    "publication": ProviderContractPublication._meta.db_table,
    "version": Version._meta.db_table,
}


def _version_is_relevant(version: str, order: str, pacticipant: str, newest: str) -> str:
    """SQL: the version is one the matrix is likely asked about (see the module docstring)."""
    return f"""(
        EXISTS (SELECT 1 FROM {_T["branch_head"]} h WHERE h.version_id = {version})
        OR EXISTS (SELECT 1 FROM {_T["deployed"]} d WHERE d.version_id = {version})
        OR EXISTS (SELECT 1 FROM {_T["released"]} r WHERE r.version_id = {version} AND r.support_ended_at IS NULL)
        OR EXISTS (SELECT 1 FROM {_T["tag"]} t WHERE t.version_id = {version} AND NOT EXISTS (
              SELECT 1 FROM {_T["tag"]} t2 WHERE t2.pacticipant_id = {pacticipant} AND t2.name = t.name
                 AND t2.version_order > t.version_order))
        OR {order} = ({newest})
    )"""


_PACTS_FOR_PROVIDER = f"""
SELECT DISTINCT l.pact_version_id FROM {_T["latest_pact"]} l
 WHERE l.provider_id = %(provider)s AND {
    _version_is_relevant(
        "l.consumer_version_id",
        "l.consumer_version_order",
        "l.consumer_id",
        f"SELECT max(l2.consumer_version_order) FROM {_T['latest_pact']} l2 "
        "WHERE l2.consumer_id = l.consumer_id AND l2.provider_id = l.provider_id",
    )
}
"""

_NEWEST_VERSION_WITH_CONTRACT = (
    f'SELECT max(v2."order") FROM {_T["version"]} v2 WHERE v2.id IN '
    f"(SELECT p2.provider_version_id FROM {_T['publication']} p2 WHERE p2.provider_id = %(provider)s)"
)

_PUBLICATIONS_FOR_PROVIDER = f"""
SELECT current.id FROM (
  SELECT DISTINCT ON (p.provider_version_id) p.id, p.provider_version_id, v."order"
    FROM {_T["publication"]} p JOIN {_T["version"]} v ON v.id = p.provider_version_id
   WHERE p.provider_id = %(provider)s
   ORDER BY p.provider_version_id, p.id DESC
) current
WHERE {
    _version_is_relevant(
        "current.provider_version_id", 'current."order"', "%(provider)s", _NEWEST_VERSION_WITH_CONTRACT
    )
}
"""


def _current_publication_id(provider_version_id: int) -> int | None:
    return (
        ProviderContractPublication.objects.filter(provider_version_id=provider_version_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


def pacts_for_publication(*, publication_id: int) -> list[int]:
    """The pact contents a provider contract publication is to be compared with ([] when the
    publication is gone or superseded meanwhile). Checks the description once, for all of them."""
    publication = (
        ProviderContractPublication.objects.select_related("contract_version").filter(pk=publication_id).first()
    )
    if publication is None or _current_publication_id(publication.provider_version_id) != publication.pk:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_PACTS_FOR_PROVIDER, {"provider": publication.provider_id})
        pact_version_ids = sorted(row[0] for row in cursor.fetchall())
    if pact_version_ids:
        description_problems_ensure(contract_version=publication.contract_version)
    return pact_version_ids


def comparisons_for_publication(*, publication_id: int, pact_version_ids: list[int] | None = None) -> int:
    """Compare a provider contract publication with pact contents (by default every one it may be
    deployed with); returns the number of verification results recorded."""
    if pact_version_ids is None:
        pact_version_ids = pacts_for_publication(publication_id=publication_id)
    publication = (
        ProviderContractPublication.objects.select_related("provider", "provider_version", "contract_version")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None or not pact_version_ids:
        return 0
    pact_versions = PactVersion.objects.select_related("consumer", "provider").filter(pk__in=pact_version_ids)
    return sum(_pair_settle(publication, pact_version) for pact_version in pact_versions)


def comparisons_for_pact(*, consumer_name: str, provider_name: str, pact_version_sha: str) -> int:
    """Compare newly published pact content with the provider contracts it may be deployed with."""
    pact_version = (
        PactVersion.objects.select_related("consumer", "provider")
        .filter(consumer__name=consumer_name, provider__name=provider_name, sha=pact_version_sha)
        .first()
    )
    if pact_version is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_PUBLICATIONS_FOR_PROVIDER, {"provider": pact_version.provider_id})
        ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return 0
    publications = ProviderContractPublication.objects.select_related(
        "provider", "provider_version", "contract_version"
    ).filter(pk__in=ids)
    return sum(_pair_settle(publication, pact_version) for publication in publications)


def comparison_ensure(*, pact_version: PactVersion, contract_version: ProviderContractVersion) -> Comparison:
    """The comparison of a pact content with a contract content, computed once per pair."""
    found = Comparison.objects.filter(pact_version=pact_version, contract_version=contract_version).first()
    if found is not None:
        return found
    problems = description_problems_ensure(contract_version=contract_version)
    result = compare(
        pact_version.content, contract_version.content, contract_version.content_type, check_description=False
    )
    # The conformance warnings come first, as compare() itself puts them.
    result.mismatches[0:0] = [
        Mismatch(SPEC_INVALID, WARNING, f"The provider's OpenAPI description is not valid: {problem}")
        for problem in problems
    ]
    Comparison.objects.bulk_create(
        [
            Comparison(
                pact_version=pact_version,
                contract_version=contract_version,
                success=result.compatible,
                results=result.to_dict(),
                verifier=VERIFIER,
                verifier_version=VERIFIER_VERSION,
            )
        ],
        ignore_conflicts=True,
    )  # a concurrent worker may have stored the same verdict: same content, same result
    return Comparison.objects.get(pact_version=pact_version, contract_version=contract_version)


def description_problems_ensure(*, contract_version: ProviderContractVersion) -> list[str]:
    """The description's OpenAPI conformance problems, checked once per content and stored."""
    if contract_version.problems is None:
        problems = description_problems(contract_version.content)
        ProviderContractVersion.objects.filter(pk=contract_version.pk).update(problems=problems)
        contract_version.problems = problems
    return contract_version.problems


def _pair_settle(publication: ProviderContractPublication, pact_version: PactVersion) -> int:
    """Record the verification result of one (publication, pact content) pair, once."""
    if ComparisonVerification.objects.filter(publication=publication, pact_version=pact_version).exists():
        return 0
    comparison = comparison_ensure(pact_version=pact_version, contract_version=publication.contract_version)
    with transaction.atomic():
        # Two workers settling the same pair: the second waits here, then finds the first one's row.
        ProviderContractPublication.objects.select_for_update().filter(pk=publication.pk).first()
        if ComparisonVerification.objects.filter(publication=publication, pact_version=pact_version).exists():
            return 0
        self_success = publication.self_verification_success is True
        verification = verification_record(
            consumer_name=pact_version.consumer.name,
            provider_name=pact_version.provider.name,
            pact_version_sha=pact_version.sha,
            success=comparison.success and self_success,
            provider_version_number=publication.provider_version.number,
            build_url=publication.build_url,
            verified_by={"implementation": VERIFIER, "version": VERIFIER_VERSION},
        )
        ComparisonVerification.objects.create(
            verification_id=verification.pk,
            comparison=comparison,
            publication=publication,
            pact_version=pact_version,
            reason=comparison_reason(comparison, publication),
        )
    return 1


def comparison_reason(comparison: Comparison, publication: ProviderContractPublication) -> str:
    """One line for can-i-deploy: why a comparison result passed or failed."""
    provider = publication.provider.name
    parts = []
    if not comparison.success:
        errors = [m for m in comparison.results.get("mismatches", []) if m.get("severity") == "error"]
        shown = "; ".join(_mismatch_line(m) for m in errors[:REASON_MISMATCHES_SHOWN])
        more = len(errors) - REASON_MISMATCHES_SHOWN
        parts.append(
            f"the pact is not compatible with {provider}'s provider contract ({len(errors)} "
            f"mismatch{'es' if len(errors) != 1 else ''}: {shown}{f'; and {more} more' if more > 0 else ''})"
        )
    if publication.self_verification_success is None:
        parts.append(f"{provider} published no self-verification result with its provider contract")
    elif not publication.self_verification_success:
        parts.append(f"{provider}'s self-verification of its provider contract failed")
    if not parts:
        return f"the pact is compatible with {provider}'s provider contract and its self-verification succeeded"
    return " and ".join(parts)


def _mismatch_line(mismatch: dict) -> str:
    where = mismatch.get("interactionDescription")
    message = mismatch.get("message", "")
    return f"interaction '{where}': {message}" if where else message
