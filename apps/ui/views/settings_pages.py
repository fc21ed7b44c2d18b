"""Settings: the index of every settings page (those the person may use), and Secrets (names
only: a value is write-only and never shown again)."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render

from apps.accounts.models import Team
from apps.accounts.permissions import Perm, require_permission
from apps.accounts.views.common import can
from apps.core.errors import BrokerError, ValidationFailed
from apps.secrets import services
from apps.secrets.access import secret_manage_authorize, secret_readable
from apps.secrets.models import Secret
from apps.ui.forms import SecretForm
from apps.ui.navigation import settings_sections


# Anyone signed in: the index lists only the sections one may open (a Viewer holds no token right).
@require_permission(None)
def settings_index(request):
    return render(request, "ui/settings.html", {"sections": settings_sections(request.user)})


def _secret_errors(form: SecretForm, exc: BrokerError) -> None:
    errors = exc.body.get("errors") if isinstance(exc.body, dict) else None
    if isinstance(errors, dict):
        for key, problems in errors.items():
            for problem in problems:
                form.add_error(key if key in form.fields else None, problem)
    else:
        form.add_error(None, (exc.body or {}).get("error", str(exc)) if isinstance(exc.body, dict) else str(exc))


# Webhook authors may see the names (to use them as ${user.NAME}); only SECRET_MANAGE changes them.
@require_permission(Perm.SECRET_READ, post=Perm.SECRET_MANAGE)
def secrets(request):
    form = SecretForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            secret = (
                Secret.objects.filter(uuid=request.POST.get("secret")).first()
                if _is_uuid(request.POST.get("secret"))
                else None
            )
            if secret is None or not secret_readable(request.user, secret):
                messages.error(request, "No such secret.")
            else:
                try:
                    secret_manage_authorize(request.user, team_uuid=secret.team.uuid if secret.team_id else None)
                except BrokerError as exc:
                    messages.error(request, exc.body["error"])
                else:
                    services.secret_delete(secret=secret, actor=request.user)
                    messages.success(request, f"Secret “{secret.name}” deleted.")
            return redirect("ui-secrets")
        form = SecretForm(request.POST)
        if form.is_valid():
            team = Team.objects.filter(uuid=form.cleaned_data["team"]).first() if form.cleaned_data["team"] else None
            try:
                secret_manage_authorize(request.user, team_uuid=team.uuid if team else None)
                secret = services.secret_create(
                    name=form.cleaned_data["name"],
                    value=form.cleaned_data["value"],
                    description=form.cleaned_data["description"],
                    actor=request.user,
                    team=team,
                )
            except (ValidationFailed, BrokerError) as exc:
                _secret_errors(form, exc)
            else:
                messages.success(request, f"Secret “{secret.name}” saved. Use it as ${{user.{secret.name}}}.")
                return redirect("ui-secrets")
        status = 400
    return render(
        request,
        "ui/secrets.html",
        {
            "secrets": [
                secret
                for secret in Secret.objects.order_by("name").select_related("team")
                if secret_readable(request.user, secret)
            ],
            "form": form,
            "can_manage": can(request, Perm.SECRET_MANAGE),
        },
        status=status,
    )


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
