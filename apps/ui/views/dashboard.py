"""The dashboard (every integration at a glance) and the network diagram."""
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from apps.accounts.permissions import Perm, require_permission
from apps.ui import queries
from apps.ui.views.common import broker_url, is_htmx

STATUS_CHOICES = [("", "Any status"), ("success", "Verified"), ("failed", "Failed"),
                  ("unverified", "Not verified / changed")]


@require_permission(Perm.READ)
def dashboard(request):
    search = request.GET.get("q", "")[:200]
    status = request.GET.get("status", "")
    status = status if status in queries.STATUS_FILTERS else ""
    rows = queries.integrations_overview(search=search, status=status)
    context = {
        "rows": rows, "search": search, "status": status, "status_choices": STATUS_CHOICES,
        "filtered": bool(search or status), "broker_url": broker_url(request),
    }
    template = "ui/_integrations.html" if is_htmx(request) else "ui/dashboard.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_permission(Perm.READ)
def network(request):
    rows = queries.integrations_overview()
    return render(request, "ui/network.html", {
        "rows": rows, "graph": queries.network_graph(rows), "broker_url": broker_url(request),
    })
