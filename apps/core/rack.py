"""The one Rack nested-query codec (`Rack::Utils.build_nested_query` / `parse_nested_query`).

Clients send Rack-style nested parameters (`q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar`)
to the matrix, can-i-deploy and the deprecated GET form of pacts-for-verification, and the broker
encodes the `/metadata/{m}` segment of pact URLs with the same rules, so the quirks matter:

- building: keys are escaped too (`s[][b]` becomes `s%5B%5D%5Bb%5D`), a space is `+`, `~` is
  escaped (Ruby's `URI.encode_www_form_component`), true/false are written as words, a nil value is
  the bare key, and an empty list writes nothing;
- parsing: Rack builds a list of hashes and starts a *new* hash whenever a key repeats in the
  current one (`a[][x]=1&a[][y]=2&a[][x]=3` is two elements), so order matters and
  `QueryDict.getlist` cannot pair the values back up. A key nested deeper than Rack's
  `params_depth_limit` (100), or a key used both as a list and as a hash, is a `QueryParseError`
  (the callers answer 400), never a RecursionError.

`segment_encode` / `segment_decode` wrap a query in base64 for a URL path segment. The broker uses
`Base64.strict_encode64` (standard alphabet, padded); its `/` would split our path segment, so we
write the URL-safe alphabet without padding and read both alphabets, padded or not, so any URL the
Ruby broker handed out still decodes here.
"""

import base64
import binascii
import re
from urllib.parse import parse_qsl, quote_plus

PARAMS_DEPTH_LIMIT = 100

_KEY = re.compile(r"\A[\[\]]*([^\[\]]+)\]*")
_CHILD_HASH = re.compile(r"\A\[\]\[([^\[\]]+)\]\Z")
_CHILD_ANY = re.compile(r"\A\[\](.+)\Z")


class QueryParseError(ValueError):
    pass


def escape(value) -> str:
    """Ruby's URI.encode_www_form_component: only *-._ and alphanumerics stay as they are."""
    return quote_plus(str(value), safe="*").replace("~", "%7E")


def _scalar(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def build_nested_query(value, prefix: str | None = None) -> str:
    if isinstance(value, list):
        return "&".join(build_nested_query(item, f"{prefix}[]") for item in value)
    if isinstance(value, dict):
        parts = [build_nested_query(v, f"{prefix}[{k}]" if prefix else str(k)) for k, v in value.items()]
        return "&".join(part for part in parts if part)
    if prefix is None:
        raise ValueError("value must be a dict")
    if value is None:
        return escape(prefix)
    return f"{escape(prefix)}={escape(_scalar(value))}"


def _has_key(params: dict, name: str) -> bool:
    """Whether a nested name (e.g. "a][b" as Rack passes it down) is already set in a hash."""
    parts = [p for p in re.split(r"[\[\]]+", name) if p]
    current = params
    for part in parts:
        if not isinstance(current, dict) or part not in current:
            return False
        current = current[part]
    return True


def _normalize(params: dict, name: str, value: str, depth: int = 0) -> dict:
    if depth > PARAMS_DEPTH_LIMIT:
        raise QueryParseError("Invalid query: parameters nested too deeply")
    match = _KEY.match(name)
    if not match:
        return params
    key = match.group(1)
    after = name[match.end() :]
    if after == "":
        params[key] = value
    elif after == "[":
        params[name] = value
    elif after == "[]":
        current = params.setdefault(key, [])
        if not isinstance(current, list):
            raise QueryParseError(f"expected an array for param `{key}`")
        current.append(value)
    elif after.startswith("[]"):
        child = _CHILD_HASH.match(after) or _CHILD_ANY.match(after)
        child_key = child.group(1)
        current = params.setdefault(key, [])
        if not isinstance(current, list):
            raise QueryParseError(f"expected an array for param `{key}`")
        if current and isinstance(current[-1], dict) and not _has_key(current[-1], child_key):
            _normalize(current[-1], child_key, value, depth + 1)
        else:
            current.append(_normalize({}, child_key, value, depth + 1))
    else:
        current = params.setdefault(key, {})
        if not isinstance(current, dict):
            raise QueryParseError(f"expected a hash for param `{key}`")
        _normalize(current, after, value, depth + 1)
    return params


def parse_nested_query(query_string: str) -> dict:
    """Ordered pairs folded into nested hashes and lists; QueryParseError for what Rack refuses."""
    params: dict = {}
    for name, value in parse_qsl(query_string or "", keep_blank_values=True):
        _normalize(params, name, value)
    return params


def segment_encode(value: dict) -> str:
    """A nested query as one URL path segment (URL-safe base64 without padding)."""
    return base64.urlsafe_b64encode(build_nested_query(value).encode()).decode().rstrip("=")


def segment_decode(segment: str | None) -> dict:
    """The nested query in a segment written by `segment_encode` or by the Ruby broker (standard
    alphabet, padded). A segment that does not decode is empty, never an error (the broker logs and
    ignores it)."""
    if not segment:
        return {}
    try:
        padded = segment.replace("-", "+").replace("_", "/").rstrip("=") + "=" * (-len(segment.rstrip("=")) % 4)
        return parse_nested_query(base64.b64decode(padded, validate=True).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):  # QueryParseError is a ValueError
        return {}
