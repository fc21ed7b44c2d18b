"""The broker's JSON dashboard: `GET /dashboard` and `/dashboard/provider/{p}/consumer/{c}` for API
clients (browsers asking for text/html get the dashboard page at the same path, views/dashboard.py).

Paginated on request (`page`/`size`, §2.4), unpaginated otherwise; the items are built in
apps/ui/hal/dashboard.py.
"""

from django.http import HttpResponse
from rest_framework.response import Response

from apps.core.negotiation import HAL_JSON, accepts
from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView
from apps.ui import queries
from apps.ui.hal.dashboard import dashboard_item
from apps.ui.queries.dashboard import dashboard_extras

TEXT_COLUMNS = ("CONSUMER_NAME", "C_VERSION", "C_TAGS", "PROVIDER_NAME", "P_VERSION", "P_TAGS", "SUCCESS")


def dashboard_text(items: list[dict]) -> str:
    """The broker's text dashboard: a table with ` | ` between columns, each as wide as its widest
    cell, and a dashed line under the headings."""
    rows = []
    for item in items:
        consumer, provider = item["consumer"], item["provider"]
        rows.append(
            (
                consumer["name"],
                (consumer.get("version") or {}).get("number", ""),
                ", ".join(tag["name"] for tag in item["pactTags"]),
                provider["name"],
                (provider.get("version") or {}).get("number", ""),
                ", ".join(tag["name"] for tag in item["latestVerificationResultTags"]),
                item["verificationStatus"] if item["verificationStatus"] in ("success", "failed") else "",
            )
        )
    widths = [max(len(str(row[i])) for row in [TEXT_COLUMNS, *rows]) for i in range(len(TEXT_COLUMNS))]

    def line(cells) -> str:
        return " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip() + "\n"

    dashes = "|".join("-" * (width + (1 if i in (0, len(widths) - 1) else 2)) for i, width in enumerate(widths))
    return line(TEXT_COLUMNS) + dashes + "\n" + "".join(line(row) for row in rows)


class DashboardView(BrokerAPIView):
    produces = (HAL_JSON, "text/plain")

    def get(self, request, provider: str | None = None, consumer: str | None = None):
        page = page_request(request)
        rows = queries.integrations_overview(consumer=consumer, provider=provider, details=False)
        rows, paging = paginate(request, rows, page)
        body: dict = {}
        if paging is not None:
            body["page"] = paging["page"]
            if paging["links"]:
                body["_links"] = paging["links"]
        queries.integration_details(rows)
        extras = dashboard_extras(rows)
        items = [dashboard_item(request, row, extras) for row in rows]
        accept = request.headers.get("Accept")
        if accepts(accept, "text/plain") and not accepts(accept, HAL_JSON):
            return HttpResponse(dashboard_text(items), content_type="text/plain;charset=utf-8")
        return Response({"items": items, **body})
