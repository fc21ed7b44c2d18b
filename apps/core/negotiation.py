from rest_framework.negotiation import DefaultContentNegotiation


def wants_ui(request) -> bool:
    """The broker's rule (§2.1) for paths that serve both: a browser asks for text/html without
    json; everything else (json, */*, no Accept at all) is an API client."""
    accept = request.headers.get("Accept", "").lower()
    return "text/html" in accept and "json" not in accept


class LenientContentNegotiation(DefaultContentNegotiation):
    """Picks a renderer, the first one when none matches: whether the answer is a 406 is decided
    after the handler by `BrokerAPIView` (`not_acceptable`), at the point of Webmachine's decision
    flow where the broker decides it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Exception:
            renderer = renderers[0]
            return renderer, renderer.media_type


def _media_ranges(accept: str | None) -> list[tuple[str, float]]:
    ranges = []
    for part in (accept or "*/*").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return ranges or [("*/*", 1.0)]


def accepts(accept: str | None, media_type: str) -> bool:
    """Whether an Accept header admits `media_type` (no header admits anything), as the broker's
    Webmachine decides before answering 406."""
    kind = media_type.split("/")[0]
    for media, quality in _media_ranges(accept):
        if quality > 0 and media in ("*/*", "*", f"{kind}/*", media_type):
            return True
    return False


HAL_JSON = "application/hal+json"
# PactFlow's own APIs (identity, secrets, provider contracts, SSO) have no open-source answer to
# match: they keep serving plain JSON to clients that ask for it, as before negotiation was strict.
HAL_OR_JSON = (HAL_JSON, "application/json")

# Statuses the broker's resources (Webmachine) decide before content negotiation (decision C4):
# a malformed or invalid body (B9), authentication and authorisation (B8, B7), an unknown method
# (B10), an unsupported content type (B5), a body too large (B4). Our own refusals that come from
# the platform (423 organisation closing, 429 rate limit, 503) are not the resource's either. Any
# other answer (a success, a redirect, a 404 from `resource_exists`, a 409, a 500) comes after it,
# so a request whose Accept the resource cannot satisfy gets the 406 instead.
DECIDED_BEFORE_NEGOTIATION = frozenset({400, 401, 403, 405, 413, 414, 415, 422, 423, 429, 503})


def not_acceptable(method: str, accept: str | None, status: int, produces) -> bool:
    """Whether the broker would answer this request 406: the resource produces none of the media
    types the Accept header admits (no header admits anything; OPTIONS is answered before)."""
    if method == "OPTIONS" or status in DECIDED_BEFORE_NEGOTIATION:
        return False
    return not any(accepts(accept, media_type) for media_type in produces)
