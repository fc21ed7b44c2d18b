"""The contract view: one pact (a consumer version's current publication for a provider), the
integration's pact history, and the verification results of the pact's content.

A pact here is the LatestPactPublication row (the current revision per consumer version and
provider), as the broker's `/pacts/provider/{p}/consumer/{c}/version/{v}` serves it. A constant
number of statements: the two pacticipants, the pact, the history (one page), the history's
branches and tags, the verifications, and the verifying versions' branches and tags.
"""

from dataclasses import dataclass, field

from apps.contracts.models import LatestPactPublication, Pacticipant
from apps.ui.queries.integrations import version_labels
from apps.verifications.models import Verification

HISTORY_LIMIT = 50
VERIFICATIONS_LIMIT = 50


@dataclass
class Integration:
    consumer: Pacticipant
    provider: Pacticipant


@dataclass
class HistoryRow:
    pact: LatestPactPublication
    branches: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    changed: bool | None = True  # content differs from the next older version's (None: the first pact)


@dataclass
class VerificationRow:
    verification: Verification
    branches: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    cases: list = field(default_factory=list)  # apps.ui.verification_results.Case, per interaction


def integration_find(provider_name: str, consumer_name: str) -> Integration | None:
    found = {p.name: p for p in Pacticipant.objects.filter(name__in=[provider_name, consumer_name])}
    if provider_name not in found or consumer_name not in found:
        return None
    return Integration(consumer=found[consumer_name], provider=found[provider_name])


def _pacts(integration: Integration):
    return LatestPactPublication.objects.filter(
        consumer=integration.consumer, provider=integration.provider
    ).select_related("consumer_version", "pact_version", "pact_publication")


def pact_find(integration: Integration, version_number: str | None = None) -> LatestPactPublication | None:
    """The pact of a consumer version (or of the latest consumer version that has one)."""
    pacts = _pacts(integration)
    if version_number is not None:
        return pacts.filter(consumer_version__number=version_number).first()
    return pacts.order_by("-consumer_version_order").first()


def pacts_find(integration: Integration, version_numbers: list[str]) -> dict[str, LatestPactPublication]:
    """Pacts of several consumer versions, by version number (one statement; for the diff)."""
    return {
        p.consumer_version.number: p for p in _pacts(integration).filter(consumer_version__number__in=version_numbers)
    }


def pact_history(integration: Integration) -> list[HistoryRow]:
    """The newest pacts of the integration, newest first, marking which changed the content."""
    pacts = list(
        _pacts(integration).defer("pact_version__content").order_by("-consumer_version_order")[: HISTORY_LIMIT + 1]
    )
    rows = [HistoryRow(p) for p in pacts]
    for newer, older in zip(rows, rows[1:], strict=False):
        newer.changed = newer.pact.pact_version_id != older.pact.pact_version_id
    if rows and len(rows) <= HISTORY_LIMIT:
        rows[-1].changed = None  # the first pact of the integration
    rows = rows[:HISTORY_LIMIT]
    branches, tags = version_labels([r.pact.consumer_version_id for r in rows])
    for row in rows:
        row.branches, row.tags = branches[row.pact.consumer_version_id], tags[row.pact.consumer_version_id]
    return rows


def verifications_of(pact: LatestPactPublication) -> list[VerificationRow]:
    """Verification results of the pact's content, newest first, with the provider versions' labels."""
    verifications = list(
        Verification.objects.filter(pact_version_id=pact.pact_version_id)
        .select_related("provider_version")
        .order_by("-id")[:VERIFICATIONS_LIMIT]
    )
    branches, tags = version_labels([v.provider_version_id for v in verifications])
    return [VerificationRow(v, branches[v.provider_version_id], tags[v.provider_version_id]) for v in verifications]
