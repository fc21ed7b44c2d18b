"""The dashboard (every integration at a glance) and the network diagram."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from apps.accounts import queries as account_queries
from apps.accounts.permissions import Perm, require_permission
from apps.contracts.api.index import IndexView
from apps.core.hal import hal_browser_location
from apps.core.negotiation import wants_ui
from apps.core.pagination import page_number_or_first
from apps.core.public import dispatches_to
from apps.ui import queries
from apps.ui.api.dashboard import DashboardView
from apps.ui.views.common import broker_url, is_htmx

STATUS_CHOICES = [
    ("", "Any status"),
    ("failed", "Failed"),
    ("unverified", "Not yet verified"),
    ("changed", "Changed since last verified"),
    ("success", "Verified"),
]
SORT_CHOICES = [
    ("activity", "Latest activity"),
    ("status", "Most urgent first"),
    ("consumer", "Consumer"),
    ("provider", "Provider"),
]
PAGE_SIZE = 50

_dashboard_api = DashboardView.as_view()


@dispatches_to("apps.ui.views.dashboard.dashboard_page", "apps.ui.api.dashboard.DashboardView")
@csrf_exempt  # writes nothing; other methods go to the API view, which refuses them
def dashboard(request, provider: str | None = None, consumer: str | None = None):
    """`/dashboard` is the broker's JSON dashboard for API clients and this page for browsers (and
    for htmx, whose requests accept */*)."""
    browser = request.method in ("GET", "HEAD") and (wants_ui(request) or request.headers.get("HX-Request") == "true")
    if browser and provider is not None:
        response = redirect("ui-pact", provider, consumer)
    elif browser:
        response = dashboard_page(request)
    else:
        response = _dashboard_api(request, provider=provider, consumer=consumer)
    patch_vary_headers(response, ["Accept", "HX-Request"])
    return response


_index_api = IndexView.as_view()


@dispatches_to("apps.ui.views.dashboard.dashboard_page", "apps.contracts.api.index.IndexView")
def home(request):
    """The organisation's root URL: the broker's HAL index for API clients, the dashboard for
    browsers (`apps.core.negotiation.wants_ui`). It lives in the UI, the one app that may know both."""
    if wants_ui(request):
        return dashboard_page(request)
    if request.method == "GET" and "text/html" in request.headers.get("Accept", "").lower():
        # A browser that also takes HAL (the HAL browser's own Accept): the broker sends it to its
        # HAL browser showing the index.
        response = HttpResponse(status=303)
        response["Location"] = hal_browser_location("/")
        del response["Content-Type"]
        return response
    return _index_api(request)


@require_permission(Perm.CONTRACT_DATA_READ)
def dashboard_page(request):
    search = request.GET.get("q", "")[:200]
    status = request.GET.get("status", "")
    status = status if status in queries.STATUS_FILTERS else ""
    sort = request.GET.get("sort", "")
    sort = sort if sort in queries.SORTS else "activity"
    page = queries.integrations_page(
        search=search, status=status, sort=sort, number=page_number_or_first(request), size=PAGE_SIZE
    )
    keep = {key: value for key, value in (("q", search), ("status", status)) if value}
    if sort != "activity":
        keep["sort"] = sort
    context = {
        "page": page,
        "rows": page.rows,
        "search": search,
        "status": status,
        "sort": sort,
        "status_choices": STATUS_CHOICES,
        "sort_choices": SORT_CHOICES,
        "filtered": bool(search or status),
        "broker_url": broker_url(request),
        # Page links keep the search, the filter and the order; the summary's keep the search and order.
        "page_query": urlencode(keep) + "&" if keep else "",
        "summary": _summary(page, search, sort, status),
    }
    htmx = is_htmx(request)
    if not htmx:
        context["expiring_tokens"] = account_queries.tokens_expiry_alert(user=request.user)
        context["now"] = timezone.now()
    template = "ui/_integrations.html" if htmx else "ui/dashboard.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _summary(page, search: str, sort: str, status: str) -> list[dict]:
    """The counts above the table, each a link to the table filtered by it."""
    base = {key: value for key, value in (("q", search), ("sort", sort if sort != "activity" else "")) if value}
    links = [{"label": "All", "count": page.everything, "status": "", "query": urlencode(base)}]
    labels = dict(STATUS_CHOICES)
    for name, count in page.counts.items():
        links.append(
            {"label": labels[name], "count": count, "status": name, "query": urlencode({**base, "status": name})}
        )
    for link in links:
        link["current"] = link["status"] == status
    return links


@require_permission(Perm.CONTRACT_DATA_READ)
def network(request):
    graph = queries.network_graph(queries.network_overview())
    href = {node["data"]["id"]: node["data"]["href"] for node in graph["nodes"]}
    # The table below the drawing: the same edges, with the applications' addresses.
    rows = [
        {**edge["data"], "consumerHref": href[edge["data"]["source"]], "providerHref": href[edge["data"]["target"]]}
        for edge in graph["edges"]
    ]
    return render(
        request,
        "ui/network.html",
        {
            "rows": rows,
            "graph": graph,
            "broker_url": broker_url(request),
            # The application to focus on (network.js reads it from the address too).
            "focus": request.GET.get("focus", "")[:200],
        },
    )
