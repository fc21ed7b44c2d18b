"""Pact badges (SVG) for the latest pact, the latest for a tag and the latest untagged.

Texts and colours are the broker's (shared reference §8.1): left `"<consumer>/<provider> pact"`
lower-cased (`?label=consumer|provider`, `?initials=true`), right by verification status:
verified/brightgreen, failed/red, "failed (pending)"/red, changed/orange (only older content was
verified), unknown/lightgrey (never verified; "pact not found" when there is no pact). Answered as
the broker does, a redirect to shields.io, or drawn here (`apps.core.badges`,
`PACT_BROKER_BADGE_PROVIDER_MODE`). `PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS` makes them readable
without a token.

They live here, not in the contracts app, because what they show is the verification status.
"""

import re

from apps.contracts import queries
from apps.core.badges import badge_response
from apps.core.public import DangerouslyPublicWhenConfigured
from apps.core.views import BrokerAPIView
from apps.verifications import queries as verification_queries


def _initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s_\-]", name) if p]
    if len(parts) == 1:
        spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
        spaced = re.sub(r"([a-z\d])([A-Z])", r"\1_\2", spaced).replace("-", "_")
        parts = [p for p in spaced.split("_") if p]
    return "".join(p[0] for p in parts).lower() if len(parts) > 1 else name.lower()


def badge_title(
    consumer: str, provider: str, label: str | None, initials: bool, tags: tuple[str, str] | None = None
) -> str:
    """`tags` (consumer's, provider's): the matrix badge names each side with its tag, `foo (dev)`."""
    names = [(_initials(n) if initials else n.lower()) for n in (consumer, provider)]
    if tags is not None:
        names = [f"{name} ({tag})" for name, tag in zip(names, tags, strict=True)]
    title = {"consumer": names[0], "provider": names[1]}.get((label or "").lower(), "/".join(names))
    return f"{title} pact".lower()


def badge_status(pact) -> tuple[str, str]:
    """(right text, colour) from the latest verification of the pact's content."""
    verification = verification_queries.verification_latest_for_pact_version(pact.pact_version_id)
    if verification is not None:
        if verification.success:
            return "verified", "brightgreen"
        return ("failed (pending)" if verification.pact_pending else "failed"), "red"
    if verification_queries.verification_latest_for_integration(pact.consumer_id, pact.provider_id) is not None:
        return "changed", "orange"
    return "unknown", "lightgrey"


class PactBadgeResource(DangerouslyPublicWhenConfigured, BrokerAPIView):
    """`/pacts/provider/{p}/consumer/{c}/latest[/{tag}]/badge` and `/latest-untagged/badge`."""

    public_when = "BROKER_ENABLE_PUBLIC_BADGE_ACCESS"
    produces = ("image/svg+xml",)
    untagged = False

    def get(self, request, provider, consumer, tag=None):
        pact = queries.pact_latest(consumer, provider, tag=tag, untagged=self.untagged)
        if pact is None:
            left, (right, colour) = "pact not found", ("unknown", "lightgrey")
        else:
            initials = request.query_params.get("initials", "").lower() == "true"
            left = badge_title(consumer, provider, request.query_params.get("label"), initials)
            right, colour = badge_status(pact)
        return badge_response(left, right, colour)


def _tagged_status(pact, verification) -> tuple[str, str]:
    """The broker's status of a pact against a verification found by tags: verified or failed when
    it verified this content, changed when it verified older content successfully."""
    if verification is None:
        return "unknown", "lightgrey"
    if verification.pact_version_id == pact.pact_version_id or not verification.success:
        return ("verified", "brightgreen") if verification.success else ("failed", "red")
    return "changed", "orange"


class MatrixBadgeResource(PactBadgeResource):
    """`/matrix/provider/{p}/latest/{ptag}/consumer/{c}/latest/{ctag}/badge`: the latest pact of the
    consumer's tag against the latest verification by a provider version with the provider's tag."""

    def get(self, request, provider, provider_tag, consumer, consumer_tag):
        pact = queries.pact_latest(consumer, provider, tag=consumer_tag)
        if pact is None:
            return badge_response("pact not found", "unknown", "lightgrey")
        initials = request.query_params.get("initials", "").lower() == "true"
        left = badge_title(
            consumer, provider, request.query_params.get("label"), initials, (consumer_tag, provider_tag)
        )
        verification = verification_queries.verification_latest_for_tags(
            consumer_id=pact.consumer_id,
            provider_id=pact.provider_id,
            consumer_tag=consumer_tag,
            provider_tag=provider_tag,
        )
        return badge_response(left, *_tagged_status(pact, verification))
