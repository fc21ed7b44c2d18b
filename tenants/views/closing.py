"""Settings > Organisation: close the organisation (type its slug), or reopen it during the grace period."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm, require_permission
from tenants.closing import ClosingError, organisation_close_cancel, organisation_close_request


def _page(request, *, error: str = "", status: int = 200):
    context = {"organisation": request.tenant, "grace_days": settings.ORGANISATION_CLOSE_GRACE_DAYS, "error": error}
    return render(request, "tenants/organisation_settings.html", context, status=status)


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
def organisation_settings(request):
    return _page(request)


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_POST
def organisation_close(request):
    try:
        organisation_close_request(
            tenant=request.tenant, actor=request.user, confirmation=request.POST.get("confirmation", "")
        )
    except ClosingError as exc:
        return _page(request, error=str(exc), status=400)
    messages.success(request, "The organisation is closing: it is read-only until its data is deleted.")
    return redirect("organisation-settings")


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_POST
def organisation_reopen(request):
    try:
        organisation_close_cancel(tenant=request.tenant, actor=request.user)
    except ClosingError as exc:
        return _page(request, error=str(exc), status=400)
    messages.success(request, "The organisation is open again.")
    return redirect("organisation-settings")
