"""`GET /audit`: the organisation's audit log, as PactFlow's Audit API serves it.

Chronological (`sort=+timestamp`, the default) or newest first (`sort=-timestamp`), paged with a
keyset cursor: `from=<uuid>` starts the page at that entry, and `_links.next` is `?from=` the uuid of
the first entry of the next page (with the same filters), so a client that keeps following `next`
reads every entry once even while new ones are written. PactFlow's `pageNumber`/`pageSize` (max 100)
also work, counted from `from` when both are given. Filters: PactFlow's `since` (inclusive),
`userUuid`, `type` (one type, or a family: `pact` is every `pact.*`), and ours: `until` (exclusive),
`userEmail`, `tokenUuid`, `targetUuid`.
"""

from urllib.parse import urlencode

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from rest_framework import exceptions
from rest_framework.response import Response

from apps.accounts import queries
from apps.accounts.api.base import IdentityAPIView
from apps.accounts.hal.accounts import audit_json
from apps.accounts.permissions import Perm
from apps.core.hal import base_url
from apps.core.pagination import page_request

PAGE_SIZE_MAX = 100
FILTERS = ("since", "until", "userUuid", "userEmail", "tokenUuid", "type", "targetUuid", "sort")
# An offset past this is past any log (and past PostgreSQL's bigint): the page is empty.
OFFSET_MAX = 2**62


def time_param(params, key: str):
    """An ISO 8601 time (or date: its midnight, UTC) from the query, None when absent, else 400."""
    raw = params.get(key, "").strip()
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))  # an unencoded "+01:00" arrives as " 01:00"
    if value is None:
        day = parse_date(raw)
        if day is None:
            raise exceptions.ValidationError({key: ["Use an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."]})
        value = parse_datetime(f"{day.isoformat()}T00:00:00Z")
    return make_aware(value) if is_naive(value) else value


def audit_filters(params) -> dict:
    """The keyword arguments of `queries.audit_list` for these query parameters (400 on bad ones)."""
    sort = params.get("sort", "+timestamp").strip()
    if sort not in ("+timestamp", "timestamp", "-timestamp"):
        raise exceptions.ValidationError({"sort": ["Use +timestamp or -timestamp."]})
    return {
        "since": time_param(params, "since"),
        "until": time_param(params, "until"),
        "actor_uuid": params.get("userUuid"),
        "actor_email": params.get("userEmail", ""),
        "token_uuid": params.get("tokenUuid"),
        "action": params.get("type", "").strip(),
        "target_id": params.get("targetUuid", ""),
        "ascending": sort != "-timestamp",
    }


class AuditView(IdentityAPIView):
    required_permissions = {"GET": Perm.AUDIT_READ}

    def get(self, request):
        params = request.query_params
        filters = audit_filters(params)
        page = page_request(request, always=True, default_size=PAGE_SIZE_MAX, max_size=PAGE_SIZE_MAX)
        start_at = None
        if params.get("from"):
            start_at = queries.audit_event_find(params["from"])
            if start_at is None:
                raise exceptions.ValidationError({"from": ["No audit event with this uuid."]})
        events = queries.audit_list(**filters, start_at=start_at)
        offset = (page.number - 1) * page.size
        rows = list(events[offset : offset + page.size + 1]) if offset < OFFSET_MAX else []
        items = rows[: page.size]
        links = {"self": {"href": request.build_absolute_uri()}}
        if len(rows) > page.size:
            kept = [(key, params[key]) for key in FILTERS if params.get(key)]
            query = urlencode([*kept, ("from", str(rows[page.size].uuid)), ("pageSize", page.size)])
            links["next"] = {"href": f"{base_url(request)}{request.path}?{query}", "title": "Next page"}
        return Response(
            {
                "events": [audit_json(request, event) for event in items],
                "page": {"number": page.number, "size": page.size},
                "_links": links,
            }
        )
