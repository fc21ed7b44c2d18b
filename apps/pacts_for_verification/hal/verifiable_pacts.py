"""The HAL body of one verifiable pact: its pact-version URL (with the selectors' metadata), short
description, pending/WIP properties and notices, in the broker's shape."""

from apps.contracts.hal.urls import pact_version_url
from apps.core import hal
from apps.pacts_for_verification.messages import VerifiablePactMessages, notices
from apps.pacts_for_verification.metadata import metadata_for_verifiable_pact
from apps.pacts_for_verification.queries import VerifiablePact
from apps.pacts_for_verification.selection import Query


def _pact_version_url(request, pact: VerifiablePact, metadata: dict | None = None) -> str:
    return pact_version_url(request, pact.consumer_name, pact.provider_name, pact.sha, metadata)


def _selector_metadata(pact: VerifiablePact) -> list[dict]:
    return [
        {
            "b": s.resolved_branch
            if s.selector.branch is True
            else (s.selector.branch or (s.resolved_branch if s.selector.main_branch else None)),
            "t": s.selector.tag,
            "l": s.selector.latest,
            "e": s.environment.environment_name if s.environment else None,
            "cv": s.consumer_version_id,
        }
        for s in pact.selectors
    ]


def render_verifiable_pact(request, pact: VerifiablePact, query: Query) -> dict:
    metadata = metadata_for_verifiable_pact(wip=pact.wip, selectors=_selector_metadata(pact), pending=pact.pending)
    # The notices quote the pact-version URL; the broker adds metadata there only for WIP pacts.
    notice_url = _pact_version_url(request, pact, {"wip": True} if pact.wip else None)
    properties = {}
    if query.include_pending_status:
        properties["pending"] = pact.pending
    if pact.wip:
        properties["wip"] = True
    properties["notices"] = notices(
        pact, notice_url, include_pending_status=query.include_pending_status, deprecated_get=query.deprecated_get
    )
    return {
        "shortDescription": VerifiablePactMessages(pact, None).short_description(),
        "verificationProperties": properties,
        "_links": {"self": hal.link(_pact_version_url(request, pact, metadata), name=pact.name)},
    }
