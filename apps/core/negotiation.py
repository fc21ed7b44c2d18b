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
