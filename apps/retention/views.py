"""Settings > Retention: the organisation's keep-selectors and dry-run switch, and the last clean-ups."""

import json

from celery import current_app
from django.contrib import messages
from django.db import connection
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.permissions import Perm, require_permission
from apps.retention.models import RetentionRun
from apps.retention.selectors import DEFAULT_STRUCTURAL, SelectorError
from apps.retention.services import retention_policy_get, retention_policy_set
from apps.retention.tasks import CLEAN_TASK
from billing.plans import limits_for


def _page(request, *, selectors_text: str | None = None, error: str = "", status: int = 200):
    policy = retention_policy_get()
    context = {
        "policy": policy,
        "selectors_text": selectors_text
        if selectors_text is not None
        else (json.dumps(policy.keep_selectors, indent=2) if policy.keep_selectors else ""),
        "defaults": json.dumps(DEFAULT_STRUCTURAL),
        "plan_days": limits_for(request.tenant).plan.retention_days,
        "runs": [{"run": run, "report": json.dumps(run.report, indent=2)} for run in RetentionRun.objects.all()[:5]],
        "error": error,
    }
    return render(request, "retention/settings.html", context, status=status)


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_GET
def retention_settings(request):
    return _page(request)


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_POST
def retention_update(request):
    text = request.POST.get("keep_selectors", "").strip()
    try:
        selectors = json.loads(text) if text else []
        retention_policy_set(keep_selectors=selectors, dry_run=request.POST.get("dry_run") == "on")
    except (ValueError, SelectorError) as exc:
        return _page(request, selectors_text=text, error=f"Keep-selectors: {exc}", status=400)
    messages.success(request, "Retention policy saved.")
    return redirect("retention-settings")


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_POST
def retention_dry_run(request):
    current_app.signature(CLEAN_TASK, args=[connection.schema_name], kwargs={"dry_run": True}).delay()
    messages.success(request, "A dry run is under way; its report appears below when done.")
    return redirect("retention-settings")
