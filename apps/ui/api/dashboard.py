"""The broker's JSON dashboard: `GET /dashboard` and `/dashboard/provider/{p}/consumer/{c}` for API
clients (browsers asking for text/html get the dashboard page at the same path, views/dashboard.py).

Paginated on request (`page`/`size`, §2.4), unpaginated otherwise; the items are built in
apps/ui/hal/dashboard.py.
"""

from rest_framework.response import Response

from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView
from apps.ui import queries
from apps.ui.hal.dashboard import dashboard_item
from apps.ui.queries.dashboard import dashboard_extras


class DashboardView(BrokerAPIView):
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
        return Response({"items": [dashboard_item(request, row, extras) for row in rows], **body})
