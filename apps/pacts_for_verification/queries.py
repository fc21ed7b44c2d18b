"""The read behind POST /pacts/provider/{p}/for-verification: selected pacts, pending status, WIP pacts.

SQL statements per request, whatever the data volume or the number of consumers:
  environment names (only when a selector names an environment)     1
  deployed/released versions (only when such selectors are in play) 1 (+1 for the table check, first time)
  selection of all selectors (`selection.py`)                       1
  pending status of every selected content (`pending.py`)           1
  WIP pacts (`wip.py`, only with includeWipPactsSince)              1
"""

from dataclasses import dataclass, field

from apps.contracts.models import Pacticipant
from apps.pacts_for_verification import environments
from apps.pacts_for_verification.messages import sort_selectors
from apps.pacts_for_verification.pending import pending_by_pact_version
from apps.pacts_for_verification.selection import Query, Selector, SelectorMatch, selected_pacts
from apps.pacts_for_verification.wip import wip_rows


@dataclass
class VerifiablePact:
    consumer_name: str
    provider_name: str
    consumer_version_id: int
    consumer_version_number: str
    consumer_version_order: int
    sha: str
    pact_version_id: int
    selectors: list[SelectorMatch]
    pending: bool
    pending_provider_tags: list[str] = field(default_factory=list)
    non_pending_provider_tags: list[str] = field(default_factory=list)
    provider_branch: str | None = None
    wip: bool = False

    @property
    def name(self) -> str:
        return f"Pact between {self.consumer_name} ({self.consumer_version_number}) and {self.provider_name}"

    def sort_key(self):
        return (self.consumer_name.lower(), self.provider_name.lower(), self.consumer_version_order)


def _environment_versions(provider: Pacticipant, query: Query):
    selectors = query.selectors or [Selector(deployed=True), Selector(released=True)]
    deployed = any(s.deployed or s.in_environment_only for s in selectors)
    released = any(s.released or s.in_environment_only for s in selectors)
    if not (deployed or released):
        return []
    return environments.deployed_or_released_consumer_versions(
        provider_id=provider.id, deployed=deployed, released=released
    )


def verifiable_pacts(*, provider: Pacticipant, query: Query) -> list[VerifiablePact]:
    """The pacts to verify, explicit ones first, then WIP ones, each list sorted by consumer and version."""
    selected = selected_pacts(
        provider_id=provider.id, selectors=query.selectors, environment_versions=_environment_versions(provider, query)
    )
    # The broker computes pending status whether or not it is asked for (it goes into the URL metadata).
    pending = pending_by_pact_version(
        provider_id=provider.id,
        pact_version_ids=sorted({p.pact_version_id for p in selected}),
        provider_version_branch=query.provider_version_branch,
        provider_version_tags=query.provider_version_tags,
    )
    explicit = []
    for pact in selected:
        is_pending, pending_tags = pending.get(pact.pact_version_id, (True, []))
        explicit.append(
            VerifiablePact(
                consumer_name=pact.consumer_name,
                provider_name=provider.name,
                consumer_version_id=pact.consumer_version_id,
                consumer_version_number=pact.consumer_version_number,
                consumer_version_order=pact.consumer_version_order,
                sha=pact.sha,
                pact_version_id=pact.pact_version_id,
                selectors=sort_selectors(pact.selectors),
                pending=is_pending,
                pending_provider_tags=pending_tags,
                non_pending_provider_tags=[t for t in query.provider_version_tags if t not in pending_tags],
                provider_branch=query.provider_version_branch,
            )
        )
    explicit.sort(key=VerifiablePact.sort_key)
    wip = []
    if query.include_wip_pacts_since and (query.provider_version_branch or query.provider_version_tags):
        wip = _wip_pacts(provider, query, {(p.consumer_name, p.sha) for p in explicit})
    return explicit + wip


def _wip_pacts(provider: Pacticipant, query: Query, explicit: set) -> list[VerifiablePact]:
    rows = wip_rows(
        provider_id=provider.id,
        since=query.include_wip_pacts_since,
        provider_version_branch=query.provider_version_branch,
        provider_version_tags=query.provider_version_tags,
    )
    merged: dict[tuple[str, str], VerifiablePact] = {}
    seen: dict[tuple[str, str], set] = {}  # each pact's selectors, for a constant-time membership test
    for row in rows:
        if (row.consumer_name, row.sha) in explicit:
            continue
        selector = (
            Selector(tag=row.tag_name, latest=True) if row.tag_name else Selector(branch=row.branch_name, latest=True)
        )
        resolved = SelectorMatch(
            selector=selector,
            consumer_version_id=row.consumer_version_id,
            consumer_version_number=row.consumer_version_number,
            consumer_version_order=row.consumer_version_order,
        )
        pact = merged.get((row.consumer_name, row.sha))
        if pact is None:
            pact = merged[(row.consumer_name, row.sha)] = VerifiablePact(
                consumer_name=row.consumer_name,
                provider_name=provider.name,
                consumer_version_id=row.consumer_version_id,
                consumer_version_number=row.consumer_version_number,
                consumer_version_order=row.consumer_version_order,
                sha=row.sha,
                pact_version_id=row.pact_version_id,
                selectors=[],
                pending=True,
                provider_branch=query.provider_version_branch,
                wip=True,
            )
        elif row.consumer_version_order > pact.consumer_version_order:
            pact.consumer_version_id, pact.consumer_version_number = (
                row.consumer_version_id,
                row.consumer_version_number,
            )
            pact.consumer_version_order = row.consumer_version_order
        if resolved not in seen.setdefault((row.consumer_name, row.sha), set()):
            seen[(row.consumer_name, row.sha)].add(resolved)
            pact.selectors.append(resolved)
        if row.provider_tag and row.provider_tag not in pact.pending_provider_tags:
            pact.pending_provider_tags.append(row.provider_tag)
    result = list(merged.values())
    for pact in result:
        pact.selectors = sort_selectors(pact.selectors)
    return sorted(result, key=VerifiablePact.sort_key)
