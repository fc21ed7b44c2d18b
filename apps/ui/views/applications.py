"""Applications (the API's pacticipants; the UI says "application", as PactFlow's does): the list
with a status tile each, an application's page, and a person's favourites."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm, require_permission
from apps.contracts.models import Pacticipant
from apps.core.pagination import page_number_or_first
from apps.environments.queries import environments_list
from apps.matrix.service import MatrixQueryInvalid, can_i_deploy
from apps.ui import queries
from apps.ui.models import Favourite
from apps.ui.queries import deploy as deploy_queries
from apps.ui.queries.applications import applications_page
from apps.ui.services import favourite_set
from apps.ui.views.common import broker_url, is_htmx
from apps.ui.views.deploy import ANSWERS


@require_permission(Perm.CONTRACT_DATA_READ)
def application_list(request):
    search = request.GET.get("q", "")[:200]
    team = request.GET.get("team", "")[:100]
    favourites = request.GET.get("favourites") == "1"
    page = applications_page(
        user=request.user, search=search, team=team, favourites=favourites, number=page_number_or_first(request)
    )
    keep = {k: v for k, v in (("q", search), ("team", team), ("favourites", "1" if favourites else "")) if v}
    context = {
        "page": page,
        "search": search,
        "team": team,
        "favourites": favourites,
        "filtered": bool(keep),
        "page_query": urlencode(keep) + "&" if keep else "",
        "here": request.get_full_path(),
        "broker_url": broker_url(request),
    }
    template = "ui/_applications.html" if is_htmx(request) else "ui/applications.html"
    return render(request, template, context)


def _deploy_answer(request, pacticipant: Pacticipant, latest: str | None) -> dict | None:
    """The application's own can-i-deploy: its main branch head (else newest version) to the
    default environment (the last asked about, else production)."""
    environments = environments_list()
    environment = deploy_queries.environment_default(
        environments, request.session.get(deploy_queries.SESSION_ENVIRONMENT)
    )
    if not environment or latest is None:
        return None
    version = f"{deploy_queries.BRANCH_PREFIX}{pacticipant.main_branch}" if pacticipant.main_branch else latest
    try:
        result = can_i_deploy(
            pacticipant=pacticipant.name,
            environment=environment,
            **deploy_queries.version_resolve(pacticipant.name, version),
        )
    except MatrixQueryInvalid as invalid:
        return {"environment": environment, "version": version, "errors": invalid.errors}
    return {
        "environment": environment,
        "version": version,
        "label": f"latest on {pacticipant.main_branch}" if pacticipant.main_branch else latest,
        "answer": ANSWERS[result.summary.deployable],
        "result": result,
    }


@require_permission(Perm.CONTRACT_DATA_READ)
def application(request, name):
    page = queries.pacticipant_page(name, page=page_number_or_first(request))
    if page is None:
        raise Http404("No such application")
    pacticipant = page.pacticipant
    integrations = queries.integrations_overview(pacticipant=name, details=False)
    latest = page.versions[0].version.number if page.versions and page.page == 1 else None
    if latest is None and page.page > 1:
        latest = next(iter(queries.versions_recent(name, limit=1)), None)
    return render(
        request,
        "ui/application.html",
        {
            "page": page,
            "integrations": integrations,
            "graph": queries.network_graph(integrations),
            "placements": queries.placements_for([pacticipant.pk])[pacticipant.pk],
            "favourite": Favourite.objects.filter(user_id=request.user.pk, pacticipant=pacticipant).exists(),
            "deploy": _deploy_answer(request, pacticipant, latest),
            "here": request.get_full_path(),
        },
    )


@require_POST
@require_permission(Perm.CONTRACT_DATA_READ)
def favourite(request):
    """Mark or unmark an application as one of the person's favourites, then go back."""
    pacticipant = get_object_or_404(Pacticipant, name=request.POST.get("name", ""))
    favourite_set(user=request.user, pacticipant=pacticipant, favourite=request.POST.get("favourite") == "1")
    back = request.POST.get("next", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = "ui-applications"
    return redirect(back)


@require_permission(Perm.CONTRACT_DATA_READ)
def pacticipant_redirect(request, name=None):
    """The UI's old addresses (/ui/pacticipants...) lead to the applications pages."""
    if name is None:
        return redirect("ui-applications", permanent=True)
    return redirect("ui-application", name, permanent=True)
