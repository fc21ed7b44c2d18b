"""Small helpers shared by the contracts resources."""

from django.utils.encoding import escape_uri_path

from apps.contracts.services import content as pact_content
from apps.core import hal
from apps.core.errors import BodyParseError, BrokerError

# The broker's answer to an empty JSON body (its parser's message).
EMPTY_JSON_ERROR = "JSON::ParserError - unexpected end of input at line 1 column 1"


def json_body(request, *, required: bool = True):
    """The raw request body parsed as JSON, with the broker's 415 / 400 answers.

    Read directly (not through DRF's parser) so that arrays and any JSON value are accepted and the
    error text is the parser's, as the broker does.
    """
    content_type = request.META.get("CONTENT_TYPE", "")
    if "json" not in content_type:
        raise BrokerError({"error": f"Unsupported Media Type: {content_type or 'none'}"}, status_code=415)
    raw = request.body
    if not raw.strip():
        if required:
            raise BodyParseError(EMPTY_JSON_ERROR)
        return None
    try:
        return pact_content.pact_parse(raw)
    except pact_content.ContentError as exc:
        raise BodyParseError(str(exc)) from None


def wants(request, media_type: str) -> bool:
    return media_type in request.META.get("HTTP_ACCEPT", "")


def self_url(request) -> str:
    """The absolute URL of the requested path (percent-encoded again), without the query."""
    return hal.base_url(request) + escape_uri_path(request.path)


def after_delete_links(request, consumer: str, provider: str) -> dict:
    """The body of a pact (or tagged / branch pacts) DELETE: the index, and the latest pact left."""
    from apps.contracts import queries

    links = {"index": {"href": hal.url(request)}}
    if queries.pact_latest(consumer, provider) is not None:
        href = hal.url(request, "pacts", "provider", provider, "consumer", consumer, "latest")
        links["pb:latest-pact-version"] = {"href": href, "title": "Latest pact"}
    return {"_links": links}
