"""Media types: which of the description's media types a pact's Content-Type or Accept selects.

The order of preference is PactFlow's (RFC 9110 negotiation, simplified as its comparator does): the
pact's types by quality (`q=`), each tried against the description's types, first exactly, then
ignoring parameters (`; charset=utf-8`), then ignoring vendor prefixes (`application/vnd.x+json`
matches `application/json`), then wildcards on the description's side (`text/*`, `*/*`), then on
the pact's side.
"""

import re

_QUALITY = re.compile(r".*;q=([01].?\d*)")
_REMOVE_QUALITY = re.compile(r";q=[01].?\d*")
_WHITESPACE = re.compile(r"\s+")


def _quality(media_type: str) -> float:
    match = _QUALITY.match(media_type)
    try:
        return float(match.group(1)) if match else 1.0
    except ValueError:
        return 1.0


def _main_type(media_type: str) -> str:
    return media_type.split("/")[0]


def _subtype(media_type: str) -> str | None:
    parts = media_type.split("/")
    return parts[1].split("+")[-1] if len(parts) > 1 else None


def _without_parameters(media_type: str) -> str:
    return media_type.split(";")[0]


def media_type_match(requested: str, available: list[str]) -> str | None:
    """The media type of `available` that `requested` (a Content-Type or an Accept value) selects."""
    wanted = [_WHITESPACE.sub("", t).lower() for t in requested.split(",")]
    wanted = [_REMOVE_QUALITY.sub("", t, count=1) for t in sorted(wanted, key=_quality, reverse=True)]
    offered = [_WHITESPACE.sub("", t).lower() for t in available]

    def first(predicate) -> str | None:
        for want in wanted:
            for index, offer in enumerate(offered):
                if predicate(want, offer):
                    return available[index]
        return None

    found = first(lambda want, offer: want == offer)
    if found is not None:
        return found
    wanted = [_without_parameters(t) for t in wanted]
    offered = [_without_parameters(t) for t in offered]
    found = (
        first(lambda want, offer: want == offer)
        or first(lambda want, offer: _main_type(offer) == _main_type(want) and _subtype(offer) == _subtype(want))
        or first(lambda want, offer: _subtype(offer) == "*" and _main_type(offer) == _main_type(want))
    )
    if found is not None:
        return found
    if "*/*" in offered:
        return "*/*"
    found = first(lambda want, offer: _subtype(want) == "*" and _main_type(offer) == _main_type(want))
    if found is not None:
        return found
    if "*/*" in wanted and available:
        return available[0]
    return None


# Bodies of these media types are validated against their schema; others are reported as not
# validatable (a warning), as PactFlow does.
VALIDATABLE_MEDIA_TYPES = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]

# Headers any HTTP client or server may send: never reported as undocumented.
STANDARD_REQUEST_HEADERS = frozenset(
    "accept accept-charset accept-datetime accept-encoding accept-language authorization cache-control "
    "connection content-length content-md5 content-type cookie date expect forwarded from host if-match "
    "if-modified-since if-none-match if-range if-unmodified-since max-forwards origin pragma "
    "proxy-authorization range referer te upgrade user-agent via warning".split()
)
# Standard response headers: a warning when the description does not document them (PactFlow's list).
STANDARD_RESPONSE_HEADERS = (
    "access-control-allow-origin accept-patch accept-ranges age allow alt-svc cache-control connection "
    "content-disposition content-encoding content-language content-length content-location content-md5 "
    "content-range date etag expires last-modified link location p3p pragma proxy-authenticate "
    "public-key-pins refresh retry-after server set-cookie status strict-transport-security trailer "
    "transfer-encoding tsv upgrade vary via warning www-authenticate x-frame-options".split()
)
