"""The source broker, read over its public HAL API only, through the product's one outbound HTTP
client (apps/core/outbound.py).

- Every request follows a link the source handed out (from its index down), except the few
  templated ones the API documents (pagination parameters, the matrix query).
- Credentials (a bearer token, or HTTP Basic for a self-hosted broker) are sent only to the origin
  the import was pointed at: a link to another host is followed without them.
- Errors are `SourceError`s whose messages say what to fix (the address, the credentials, the
  permission), never the credentials themselves.
"""

import base64
import json
from datetime import datetime
from urllib.parse import quote, unquote, urlsplit

from apps.core import outbound

PAGE_SIZE = 100
BODY_LIMIT = 64 * 1024 * 1024  # a pact document may be large; a bigger answer is an error, not a cut


class SourceError(Exception):
    """The source broker cannot be read; the message says why and what to do."""


def policy(*, allow_private: bool) -> outbound.Policy:
    """http or https; private addresses only when allowed (a self-hosted broker usually lives on
    an internal network: the command line allows it, the settings page only if configured)."""
    return outbound.Policy(
        schemes=("http", "https"),
        scheme_refusal="the source URL must start with http:// or https://",
        private_allowed=lambda address: allow_private,
        private_hint="; an operator may allow them with BROKER_IMPORT_ALLOW_PRIVATE=true",
    )


def parse_time(value) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def href(body: dict, rel: str) -> str | None:
    link = (body.get("_links") or {}).get(rel)
    if isinstance(link, list):
        link = link[0] if link else None
    return link.get("href") if isinstance(link, dict) else None


def links(body: dict, rel: str) -> list[dict]:
    found = (body.get("_links") or {}).get(rel)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def path_segment_after(url: str, name: str) -> str | None:
    """The decoded path segment after `name` in a source URL (`/pacts/provider/{p}/...`)."""
    parts = urlsplit(url).path.split("/")
    for index, part in enumerate(parts[:-1]):
        if part == name:
            return unquote(parts[index + 1])
    return None


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


class Source:
    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        username: str | None = None,
        password: str | None = None,
        allow_private: bool = True,
        timeout: float = 60.0,
    ):
        self.base_url = (base_url or "").strip().rstrip("/")
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourceError(f"The source URL must look like https://broker.example.com (got {base_url!r}).")
        self.origin = (parts.scheme, parts.hostname, parts.port)
        self.policy = policy(allow_private=allow_private)
        self.timeout = timeout
        self.headers = {"Accept": "application/hal+json, application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        elif username:
            raw = f"{username}:{password or ''}".encode()
            self.headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
        self.requests = 0

    def url(self, *segments: str, query: str | None = None) -> str:
        path = "/".join(quote(str(s), safe="") for s in segments)
        url = f"{self.base_url}/{path}" if path else self.base_url
        return with_query(url, query) if query else url

    def _headers_for(self, url: str) -> dict:
        parts = urlsplit(url)
        if (parts.scheme, parts.hostname, parts.port) == self.origin:
            return self.headers
        return {"Accept": self.headers["Accept"]}

    def get(self, url: str, *, missing_ok: bool = False) -> dict | None:
        """The JSON body at `url`; None for a 404 when `missing_ok`."""
        self.requests += 1
        try:
            response = outbound.request(
                "GET",
                url,
                policy=self.policy,
                headers=self._headers_for(url),
                connect_timeout=10.0,
                total_timeout=self.timeout,
                body_limit=BODY_LIMIT,
            )
        except outbound.DestinationRefused as exc:
            raise SourceError(f"Cannot read the source broker at {self.base_url}: {exc}") from None
        except outbound.OutboundError as exc:
            raise SourceError(f"Cannot reach the source broker at {self.base_url} ({exc}).") from None
        if response.status == 404 and missing_ok:
            return None
        if response.status == 401:
            raise SourceError(
                f"The source broker at {self.base_url} refused the credentials (401): give a valid "
                "--source-token, or --source-user and --source-password."
            )
        if response.status == 403:
            raise SourceError(
                f"The source broker at {self.base_url} answered 403 for {urlsplit(url).path}: the credentials "
                "need read access to everything (an administrator's token)."
            )
        if response.status != 200:
            raise SourceError(f"The source broker answered {response.status} for GET {urlsplit(url).path}.")
        if response.truncated:
            raise SourceError(f"The answer to GET {urlsplit(url).path} is larger than {BODY_LIMIT} bytes.")
        try:
            return json.loads(response.body)
        except ValueError:
            raise SourceError(
                f"The source at {self.base_url} answered GET {urlsplit(url).path} with something that is not "
                "JSON: is this the address of a Pact Broker?"
            ) from None

    def index(self) -> dict:
        body = self.get(self.base_url + "/", missing_ok=True)
        if not isinstance(body, dict) or not href(body, "pb:pacticipants"):
            raise SourceError(
                f"{self.base_url} does not look like a Pact Broker: it has no index with a pb:pacticipants link."
            )
        return body

    def pages_oldest_first(self, url: str, key: str, *, start_page_from_oldest: int = 0):
        """(index from oldest, items oldest first) of a paginated newest-first list, page by page.

        Pagination counts from the newest item, so the pages are read from the last one back to
        the first; an item added meanwhile pushes older ones towards pages already read, which the
        next run (the delta) picks up.
        """
        first = self.get(with_query(url, f"size={PAGE_SIZE}&page=1")) or {}
        total_pages = int((first.get("page") or {}).get("totalPages") or 1)
        for from_oldest in range(start_page_from_oldest, total_pages):
            page = total_pages - from_oldest
            body = first if page == 1 else self.get(with_query(url, f"size={PAGE_SIZE}&page={page}")) or {}
            items = list((body.get("_embedded") or {}).get(key) or [])
            items.reverse()
            yield from_oldest, items

    def total(self, url: str) -> int:
        body = self.get(with_query(url, "size=1&page=1")) or {}
        page = body.get("page") or {}
        if "totalElements" in page:
            return int(page["totalElements"])
        return len(next(iter((body.get("_embedded") or {}).values()), []))

    def all_pages(self, url: str, key: str):
        """Every item of a paginated list, in the source's order."""
        page = 1
        while True:
            body = self.get(with_query(url, f"size={PAGE_SIZE}&page={page}")) or {}
            yield from (body.get("_embedded") or {}).get(key) or []
            total_pages = int((body.get("page") or {}).get("totalPages") or 1)
            if page >= total_pages:
                return
            page += 1
