"""The renderers of every API view: HAL, plain JSON, problem JSON, plain text and SVG."""

import json

from rest_framework.renderers import BaseRenderer, JSONRenderer


class HalJSONRenderer(JSONRenderer):
    media_type = "application/hal+json"
    charset = "utf-8"


class PlainJSONRenderer(JSONRenderer):
    media_type = "application/json"
    charset = "utf-8"


class ProblemJSONRenderer(JSONRenderer):
    media_type = "application/problem+json"
    charset = "utf-8"


class PlainTextRenderer(BaseRenderer):
    """text/plain bodies (the matrix table, webhook logs); anything else (an error body) is rendered
    as JSON, so a client asking for text still reads why it failed."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, str):
            return data.encode(self.charset)
        return json.dumps(data).encode(self.charset)


class SvgRenderer(PlainTextRenderer):
    """image/svg+xml bodies (badges); an error body is rendered as JSON, as with text."""

    media_type = "image/svg+xml"
    format = "svg"
