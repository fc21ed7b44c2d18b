"""Pact badges (SVG) for the latest pact, the latest for a tag and the latest untagged.

Texts and colours are the broker's (shared reference §8.1): left `"<consumer>/<provider> pact"`
lower-cased (`?label=consumer|provider`, `?initials=true`), right by verification status:
verified/brightgreen, failed/red, "failed (pending)"/red, changed/orange (only older content was
verified), unknown/lightgrey (never verified; "pact not found" when there is no pact). The broker
redirects to shields.io by default; we draw the same flat badge ourselves so badges work without
outbound access. `PACT_BROKER_ENABLE_PUBLIC_BADGE_ACCESS` makes them readable without a token.

They live here, not in the contracts app, because what they show is the verification status.
"""

import re

from django.http import HttpResponse

from apps.contracts import queries
from apps.core.badges import badge_svg
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


def badge_title(consumer: str, provider: str, label: str | None, initials: bool) -> str:
    names = [(_initials(n) if initials else n.lower()) for n in (consumer, provider)]
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
        response = HttpResponse(badge_svg(left, right, colour), content_type="image/svg+xml;charset=utf-8")
        response["Cache-Control"] = "no-cache"
        return response
