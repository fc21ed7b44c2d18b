"""The audit log page and its export (CSV or JSON), with the filters of `GET /audit`.

The page lists newest first; the export follows the same filters and order, streamed row by row so
that a year of entries never sits in memory. A CSV cell that starts like a formula (`=`, `+`, `-`,
`@`, tab, carriage return) is prefixed with `'`: the log holds text that users chose (names,
descriptions), and spreadsheets would run it (OWASP's CSV injection advice).
"""

import csv
import json
from datetime import timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.accounts import queries
from apps.accounts.api.audit import time_param
from apps.accounts.audit_sentences import audit_sentence
from apps.accounts.models import AuditEvent
from apps.accounts.permissions import Perm, require_permission

EXPORT_COLUMNS = (
    "uuid",
    "timestamp",
    "type",
    "actor_email",
    "actor_kind",
    "user_uuid",
    "token_uuid",
    "token_name",
    "target_type",
    "target_id",
    "target_label",
    "ip",
    "user_agent",
    "method",
    "path",
    "request_id",
    "details",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _filters(request) -> tuple[dict, dict]:
    """(the query's keyword arguments, the values to show back in the form). A bad time is ignored
    (a page for people never answers 400)."""
    shown = {key: request.GET.get(key, "").strip() for key in ("type", "actor", "since", "until")}
    filters = {"action": shown["type"], "actor_email": shown["actor"]}
    for key in ("since", "until"):
        try:
            filters[key] = time_param(request.GET, key)
        except ValidationError:
            shown[key] = ""
    if filters.get("until") is not None and len(shown["until"]) == 10:  # a date: up to its end
        filters["until"] += timedelta(days=1)
    return filters, shown


def _row(event: AuditEvent) -> dict:
    return {
        "uuid": str(event.uuid),
        "timestamp": event.timestamp.isoformat(),
        "type": event.action,
        "actor_email": event.actor_email,
        "actor_kind": event.actor_kind,
        "user_uuid": str(event.actor.uuid) if event.actor else "",
        "token_uuid": str(event.token_uuid) if event.token_uuid else "",
        "token_name": event.token_name,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "ip": event.ip or "",
        "user_agent": event.user_agent,
        "method": event.method,
        "path": event.path,
        "request_id": event.request_id,
        "details": event.details,
    }


def _csv_safe(value) -> str:
    text = json.dumps(value, sort_keys=True) if isinstance(value, dict) else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def _csv_lines(events):
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for event in events:
        row = _row(event)
        yield writer.writerow([_csv_safe(row[column]) for column in EXPORT_COLUMNS])


def _json_chunks(events):
    yield "["
    for index, event in enumerate(events):
        yield ("," if index else "") + "\n" + json.dumps(_row(event), sort_keys=True)
    yield "\n]\n"


@require_permission(Perm.AUDIT_READ)
def audit(request):
    filters, shown = _filters(request)
    page = Paginator(queries.audit_list(**filters), 50).get_page(request.GET.get("page"))
    for event in page:
        event.sentence = audit_sentence(event)
    query = urlencode({key: value for key, value in shown.items() if value})
    return render(request, "organisation/audit.html", {"page": page, "filters": shown, "query": query})


@require_permission(Perm.AUDIT_READ)
def audit_export(request):
    filters, _ = _filters(request)
    events = queries.audit_list(**filters).iterator(chunk_size=2000)
    kind = "json" if request.GET.get("format") == "json" else "csv"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    if kind == "json":
        response = StreamingHttpResponse(_json_chunks(events), content_type="application/json")
    else:
        response = StreamingHttpResponse(_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{kind}"'
    return response
