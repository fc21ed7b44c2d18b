"""The matrix, can-i-deploy and environments pages. The answers come from apps/matrix's service,
so the page shows exactly what the API (and so the Pact CLI) would say, reasons included."""

from django.shortcuts import render

from apps.accounts.permissions import Perm, require_permission
from apps.environments.queries import environments_list
from apps.matrix.query_params import MatrixOptions, UnresolvedSelector
from apps.matrix.service import LATESTBY_VALUES, MatrixQueryInvalid, can_i_deploy, matrix_find
from apps.ui import queries
from apps.ui.views.common import broker_url

LATESTBY_CHOICES = [
    ("cvp", "Latest verification per consumer version and provider"),
    ("cvpv", "Latest verification per consumer and provider version"),
    ("cp", "Latest row per consumer and provider"),
    ("", "Every pact revision and verification"),
]
ANSWERS = {
    True: ("yes", "Yes, you can deploy"),
    False: ("no", "No, you cannot deploy"),
    None: ("unknown", "Not yet: verification results are missing (the Pact CLI says no)"),
}


def _text(request, name: str, limit: int = 255) -> str:
    return request.GET.get(name, "").strip()[:limit]


@require_permission(Perm.CONTRACT_DATA_READ)
def matrix(request):
    form = {key: _text(request, key) for key in ("consumer", "consumer_version", "provider", "provider_version")}
    form["latestby"] = request.GET.get("latestby", "cvp")
    if form["latestby"] not in LATESTBY_VALUES:
        form["latestby"] = ""
    try:
        limit = min(max(int(request.GET.get("limit", "100")), 1), 1000)
    except ValueError:
        limit = 100
    form["limit"] = limit
    result = errors = None
    selectors = [
        UnresolvedSelector(pacticipant_name=form[side], version_number=form[f"{side}_version"] or None)
        for side in ("consumer", "provider")
        if form[side]
    ]
    if selectors:
        try:
            result = matrix_find(selectors, MatrixOptions(latestby=form["latestby"] or None, limit=limit))
        except MatrixQueryInvalid as invalid:
            errors = invalid.errors
    return render(
        request,
        "ui/matrix.html",
        {
            "form": form,
            "result": result,
            "errors": errors,
            "pacticipants": queries.pacticipants_all(),
            "latestby_choices": LATESTBY_CHOICES,
            "answer": ANSWERS[result.summary.deployable] if result else None,
        },
        status=400 if errors else 200,
    )


@require_permission(Perm.CONTRACT_DATA_READ)
def can_i_deploy_page(request):
    form = {key: _text(request, key) for key in ("pacticipant", "version", "environment")}
    result = errors = None
    if any(form.values()):
        errors = [
            f"Choose {label}."
            for key, label in (
                ("pacticipant", "an application"),
                ("version", "a version"),
                ("environment", "an environment"),
            )
            if not form[key]
        ]
        if not errors:
            try:
                result = can_i_deploy(
                    pacticipant=form["pacticipant"], version=form["version"], environment=form["environment"]
                )
            except MatrixQueryInvalid as invalid:
                errors = invalid.errors
    return render(
        request,
        "ui/can_i_deploy.html",
        {
            "form": form,
            "result": result,
            "errors": errors,
            "pacticipants": queries.pacticipants_all(),
            "environments": environments_list(),
            "broker_url": broker_url(request),
            "versions": queries.versions_recent(form["pacticipant"]) if form["pacticipant"] else [],
            "answer": ANSWERS[result.summary.deployable] if result else None,
        },
        status=400 if errors else 200,
    )


@require_permission(Perm.CONTRACT_DATA_READ)
def version_options(request):
    """The newest versions of a pacticipant as <option>s (htmx fills the form's suggestions)."""
    versions = queries.versions_recent(_text(request, "pacticipant"))
    return render(request, "ui/_version_options.html", {"versions": versions})


@require_permission(Perm.CONTRACT_DATA_READ)
def environments(request):
    views, deployments = queries.environments_overview()
    return render(
        request,
        "ui/environments.html",
        {
            "environments": views,
            "deployments": deployments,
            "broker_url": broker_url(request),
        },
    )
