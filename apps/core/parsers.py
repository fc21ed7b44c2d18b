"""The one JSON body parser: every request body and every pact document goes through `json_parse`.

Two abuse limits are enforced here (and the size limit also in `middleware.RequestLimitsMiddleware`,
before a byte of the body is read):

- size: a body longer than `REQUEST_BODY_LIMIT` bytes is refused with 413;
- depth: a document nested deeper than `JSON_MAX_DEPTH` arrays/objects is refused with 400. Python's
  decoder raises RecursionError on a few thousand levels (a 500), and a document just under that
  limit would still exhaust the stack of the recursive code that walks pacts afterwards (SHA,
  merge, diff, rendering). Real pacts nest a few dozen levels at most, so 100 is never in the way.

NaN, Infinity and numbers too large for a float are refused as well (400): Python's decoder accepts
them, but they are not JSON and no answer could render them back.

The depth is measured after decoding with an explicit stack (no recursion), so it costs one pass
over the containers of the document.
"""

import json
import math

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from apps.core.errors import BrokerError, ValidationFailed, too_large_message
from apps.core.ruby_json import error_message

# The one answer to a JSON body that is not an object (an array, a string, a number). The Ruby broker
# has no answer of its own (it fails with a 500, see tests/compat known differences "deliberate"), so
# every API, the broker's and ours, says this in the broker's validation shape.
NOT_AN_OBJECT = "must be a JSON object"


class JSONBodyError(ValueError):
    """The body is not JSON we accept (unparsable, not UTF-8, or nested too deeply)."""


class JSONTooDeep(JSONBodyError):
    pass


def body_too_large(length: int | None = None) -> BrokerError:
    return BrokerError({"error": too_large_message(length)}, status_code=413)


def _depth_exceeds(value, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _no_constant(name: str):
    # Python's decoder accepts NaN and Infinity, which are not JSON and cannot be rendered back.
    raise JSONBodyError(f"Error parsing JSON: {name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # e.g. 1e400: a float only as infinity, which no JSON answer can carry
        raise JSONBodyError(f"Error parsing JSON: the number {text[:40]} is out of range")
    return value


def _broker_message(raw: bytes, ours: str) -> str:
    """The open-source broker's words for a body it cannot parse (apps.core.ruby_json); ours where its
    parser would have accepted the body (a number too large, comments)."""
    try:
        return error_message(raw) or ours
    except Exception:  # a message is never worth a 500
        return ours


def json_parse(text: str | bytes):
    """Any JSON value; JSONBodyError (with the broker's message) for a body we refuse."""
    raw = bytes(text) if isinstance(text, bytes | bytearray) else text.encode("utf-8", errors="surrogatepass")
    if isinstance(text, bytes | bytearray):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONBodyError(_broker_message(raw, "Request body contains a non UTF-8 character")) from exc
    limit = settings.JSON_MAX_DEPTH
    too_deep = JSONTooDeep(f"JSON nested deeper than {limit} levels")
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except RecursionError:
        raise too_deep from None
    except JSONBodyError as exc:
        raise JSONBodyError(_broker_message(raw, str(exc))) from exc
    except ValueError as exc:  # JSONDecodeError, or an integer of more than 4,300 digits
        raise JSONBodyError(_broker_message(raw, f"Error parsing JSON: {exc}")) from exc
    if isinstance(value, dict | list) and _depth_exceeds(value, limit):
        raise too_deep
    return value


def json_object(data, *, optional: bool = False) -> dict:
    """The parsed body as a dict, or 400 `{"errors": {"": ["must be a JSON object"]}}`.

    `optional`: an absent body (None) is `{}`. The parsers have already refused a body that is not
    JSON (400) or not of a JSON content type (415).
    """
    if optional and data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationFailed({"": [NOT_AN_OBJECT]})
    return data


def read_limited(stream) -> bytes:
    """The whole body of a (Django or DRF) request stream, or 413 beyond REQUEST_BODY_LIMIT.

    The middleware refuses a too-large Content-Length up front; this catches a body longer than
    announced (or sent without a length) without reading more than one byte past the limit.
    """
    limit = settings.REQUEST_BODY_LIMIT
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise body_too_large()
    return raw


class BrokerJSONParser(JSONParser):
    """DRF's JSON parser with the size and depth limits, and the broker's 400 for bad JSON."""

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return None
        try:
            return json_parse(read_limited(stream))
        except JSONBodyError as exc:
            raise ParseError(str(exc)) from None


class MergePatchJSONParser(BrokerJSONParser):
    media_type = "application/merge-patch+json"
