"""The can-i-deploy and environments pages (the matrix page is views/matrix.py). The answers come
from apps/matrix's service, so the page shows exactly what the API (and so the Pact CLI) would say,
reasons included."""

from django.shortcuts import render

from apps.accounts.permissions import Perm, require_permission
from apps.environments.queries import environments_list
from apps.matrix.service import MatrixQueryInvalid, can_i_deploy
from apps.ui import queries
from apps.ui.queries import deploy as deploy_queries
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
def can_i_deploy_page(request):
    """Lands on an answer: an application alone (the pages' buttons) gets the default version (the
    latest on its main branch) and environment (the last asked about, else production)."""
    form = {key: _text(request, key) for key in ("pacticipant", "version", "number", "environment")}
    environments = environments_list()
    result = errors = None
    choices = deploy_queries.version_choices(form["pacticipant"]) if form["pacticipant"] else None
    if choices is not None:
        form["version"] = form["number"] or form["version"] or choices.default
        form["environment"] = form["environment"] or deploy_queries.environment_default(
            environments, request.session.get(deploy_queries.SESSION_ENVIRONMENT)
        )
        errors = [
            text
            for key, text in (
                ("version", "This application has no versions yet: publish a pact or record a deployment first."),
                ("environment", "Choose an environment (create one in Settings › Environments)."),
            )
            if not form[key]
        ]
        if not errors:
            try:
                result = can_i_deploy(
                    pacticipant=form["pacticipant"],
                    environment=form["environment"],
                    **deploy_queries.version_resolve(form["pacticipant"], form["version"]),
                )
            except MatrixQueryInvalid as invalid:
                errors = invalid.errors
            else:
                if request.session.get(deploy_queries.SESSION_ENVIRONMENT) != form["environment"]:
                    request.session[deploy_queries.SESSION_ENVIRONMENT] = form["environment"]
    elif any(form.values()):
        errors = ["Choose an application."]
    return render(
        request,
        "ui/can_i_deploy.html",
        {
            "form": form,
            "result": result,
            "errors": errors,
            "pacticipants": queries.pacticipants_all(),
            "environments": environments,
            "broker_url": broker_url(request),
            "choices": choices,
            "counterparts": deploy_queries.counterparts(result, form["pacticipant"], form["environment"])
            if result
            else [],
            "state_text": deploy_queries.STATE_TEXT,
            "cli_version": _cli_version(form["version"]),
            "answer": ANSWERS[result.summary.deployable] if result else None,
        },
        status=400 if errors else 200,
    )


def _cli_version(value: str) -> str:
    """The Pact CLI's arguments for a version choice."""
    if value.startswith(deploy_queries.BRANCH_PREFIX):
        return f'--branch "{value[len(deploy_queries.BRANCH_PREFIX) :]}" --latest'
    if value.startswith(deploy_queries.DEPLOYED_PREFIX):
        return '--version "$VERSION_IN_' + value[len(deploy_queries.DEPLOYED_PREFIX) :].upper() + '"'
    return f'--version "{value}"'


@require_permission(Perm.CONTRACT_DATA_READ)
def version_options(request):
    """The version choices of an application as <option>s (htmx fills the form's select)."""
    choices = deploy_queries.version_choices(_text(request, "pacticipant"))
    return render(request, "ui/_version_options.html", {"choices": choices, "form": {"version": choices.default}})


@require_permission(Perm.CONTRACT_DATA_READ)
def environments(request):
    drifted_only = request.GET.get("drift") == "1"
    grid = queries.environments_grid()
    return render(
        request,
        "ui/environments.html",
        {
            "grid": grid,
            "rows": [row for row in grid.rows if row.drifted] if drifted_only else grid.rows,
            "drifted_only": drifted_only,
            "deployments": queries.deployments_recent(),
            "broker_url": broker_url(request),
        },
    )
