from rest_framework.negotiation import DefaultContentNegotiation


def wants_ui(request) -> bool:
    """The broker's rule (§2.1) for paths that serve both: a browser asks for text/html without
    json; everything else (json, */*, no Accept at all) is an API client."""
    accept = request.headers.get("Accept", "").lower()
    return "text/html" in accept and "json" not in accept


class LenientContentNegotiation(DefaultContentNegotiation):
    """An Accept header we cannot satisfy gets the default (HAL) rather than a 406, like the broker."""

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
