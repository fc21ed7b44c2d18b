"""Renderers for the matrix's non-JSON bodies (text/plain table, SVG badges)."""
import json

from rest_framework.renderers import BaseRenderer


class PlainTextRenderer(BaseRenderer):
    """text/plain bodies (the matrix table); anything else (an error body) is rendered as JSON."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        return json.dumps(data).encode(self.charset)


class SvgRenderer(BaseRenderer):
    media_type = "image/svg+xml"
    format = "svg"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else json.dumps(data).encode(self.charset)
