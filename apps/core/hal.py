"""HAL helpers: absolute links built from the request, as the Pact Broker builds them."""

import contextvars
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings

# The base URL of the API request being served, for code that runs after commit inside that request
# (webhook triggers render `${pactbroker.pactUrl}` with it). Set by BrokerAPIView.
request_base_url: contextvars.ContextVar[str] = contextvars.ContextVar("request_base_url", default="")


def base_url(request) -> str:
    """Scheme, host and port of the request (X-Forwarded-* only when TRUST_PROXY is on)."""
    cached = getattr(request, "_broker_base_url", None)
    if cached is None:
        configured = getattr(settings, "PUBLIC_BASE_URL", None)
        cached = configured.rstrip("/") if configured else f"{request.scheme}://{request.get_host()}"
        request._broker_base_url = cached  # a HAL body builds hundreds of links from one request
    return cached


def encode(segment) -> str:
    """Percent-encode one path segment like Ruby's ERB url_encode (space becomes %20, / is encoded)."""
    return _encoded(str(segment))


@lru_cache(maxsize=16384)  # the same names and SHAs recur in every link of a HAL body
def _encoded(text: str) -> str:
    return quote(text, safe="-._~")


def url(request, *segments, query: str | None = None) -> str:
    """Absolute URL of a path made of raw segments: url(request, "pacticipants", name). `request` may
    also be a base URL already known (a webhook rendered after the request has gone)."""
    base = request.rstrip("/") if isinstance(request, str) else base_url(request)
    path = "/".join(encode(s) for s in segments)
    href = f"{base}/{path}" if path else base
    return f"{href}?{query}" if query else href


def template_url(request, path: str) -> str:
    """Absolute URL of a templated path whose {variables} must stay unencoded."""
    return f"{base_url(request)}{path}"


def link(href: str, title: str | None = None, name: str | None = None, templated: bool | None = None) -> dict:
    body = {"href": href}
    if title is not None:
        body["title"] = title
    if name is not None:
        body["name"] = name
    if templated is not None:
        body["templated"] = templated
    return body


def timestamp(value: datetime | None) -> str | None:
    """ISO-8601 in UTC with a +00:00 offset, as the broker formats dates."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")


def omit_none(body: dict) -> dict:
    """Decorator-built broker bodies omit nil properties."""
    return {key: value for key, value in body.items() if value is not None}


HAL_BROWSER_PATH = "/hal-browser/browser.html"


def hal_browser_location(path: str) -> str:
    """Where the broker sends a browser asking the API for HTML: its HAL browser showing `path`
    (a path without the base URL, as the broker writes it). The page is the UI's (hal_browser.py)."""
    return f"{HAL_BROWSER_PATH}#{path}"
