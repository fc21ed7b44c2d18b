"""Webhooks: list, create and edit (validated by apps/webhooks' contract), test, delete, and the
execution logs of their deliveries. Reading needs READ (as GET /webhooks does); changing needs
WEBHOOK_MANAGE, and people without it see no controls."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.permissions import Perm, forbidden, require_permission, user_has_permission
from apps.core.errors import Forbidden, ValidationFailed
from apps.secrets.models import Secret
from apps.ui import queries
from apps.ui.forms import EVENT_LABELS, WebhookForm, webhook_initial
from apps.ui.views.common import broker_url, is_htmx
from apps.webhooks import services
from apps.webhooks.access import webhook_authorize
from apps.webhooks.api.contract import webhook_fields_parse
from apps.webhooks.hal.webhooks import webhook_description
from apps.webhooks.models import Webhook
from apps.webhooks.queries import webhook_find
from apps.webhooks.services.trial import webhook_trial_run


def _can_manage(request) -> bool:
    return user_has_permission(request.user, Perm.WEBHOOK_MANAGE)


def _webhook(uuid: str) -> Webhook:
    webhook = webhook_find(uuid)
    if webhook is None:
        raise Http404("No such webhook")
    return webhook


def _save(user, form: WebhookForm, webhook: Webhook, existing: Webhook | None) -> Webhook | None:
    """Validate with the API's contract and save; None (errors on the form) when invalid."""
    if not form.is_valid():
        return None
    try:
        fields = webhook_fields_parse(form.api_body(), existing=existing)
        webhook_authorize(user, existing=existing, fields=fields)
    except ValidationFailed as failed:
        form.add_api_errors(failed.body["errors"])
        return None
    except Forbidden as refused:
        form.add_error(None, refused.body["error"])
        return None
    return services.webhook_save(webhook=webhook, fields=fields)


def _form_context(request, form, webhook=None) -> dict:
    return {
        "form": form,
        "webhook": webhook,
        "event_labels": EVENT_LABELS,
        "secret_names": list(Secret.objects.order_by("name").values_list("name", flat=True)),
    }


@require_permission(Perm.CONTRACT_DATA_READ)
def webhook_list(request):
    return render(
        request,
        "ui/webhooks.html",
        {
            "webhooks": [(w, webhook_description(w), latest) for w, latest in queries.webhooks_overview()],
            "can_manage": _can_manage(request),
            "event_labels": EVENT_LABELS,
            "broker_url": broker_url(request),
        },
    )


@require_permission(Perm.WEBHOOK_MANAGE)
def webhook_new(request):
    form = WebhookForm(
        request.POST or None,
        initial={"enabled": True, "method": "POST", "events": ["contract_requiring_verification_published"]},
    )
    if request.method == "POST":
        webhook = _save(request.user, form, Webhook(uuid=services.webhook_uuid_generate()), None)
        if webhook is not None:
            messages.success(request, "Webhook created. Test it to see the request it sends.")
            return redirect("ui-webhook", uuid=webhook.uuid)
    return render(request, "ui/webhook_form.html", _form_context(request, form), status=400 if form.errors else 200)


def _detail(request, webhook: Webhook, form=None, trial=None, status=200):
    can_manage = _can_manage(request)
    if can_manage and form is None:
        form = WebhookForm(initial=webhook_initial(webhook))
    context = (
        _form_context(request, form, webhook) if can_manage else {"webhook": webhook, "event_labels": EVENT_LABELS}
    )
    return render(
        request,
        "ui/webhook_detail.html",
        {
            **context,
            "can_manage": can_manage,
            "description": webhook_description(webhook),
            "trial": trial,
            "deliveries": queries.webhook_deliveries(webhook.uuid),
        },
        status=status,
    )


@require_permission(Perm.CONTRACT_DATA_READ, post=Perm.WEBHOOK_MANAGE)
def webhook_detail(request, uuid):
    webhook = _webhook(uuid)
    if request.method == "POST":
        form = WebhookForm(request.POST)
        saved = _save(request.user, form, webhook, webhook)
        if saved is not None:
            messages.success(request, "Webhook saved.")
            return redirect("ui-webhook", uuid=uuid)
        return _detail(request, webhook, form=form, status=400)
    return _detail(request, webhook)


@require_POST
@require_permission(Perm.WEBHOOK_MANAGE)
def webhook_test(request, uuid):
    webhook = _webhook(uuid)
    try:
        webhook_authorize(request.user, existing=webhook)
    except Forbidden as refused:
        return forbidden(request, Perm.WEBHOOK_MANAGE, refused.body["error"])
    trial = webhook_trial_run(webhook=webhook, base_url=broker_url(request))
    if is_htmx(request):
        return render(request, "ui/_webhook_trial.html", {"trial": trial})
    return _detail(request, webhook, trial=trial)


@require_POST
@require_permission(Perm.WEBHOOK_MANAGE)
def webhook_delete(request, uuid):
    webhook = _webhook(uuid)
    try:
        webhook_authorize(request.user, existing=webhook)
    except Forbidden as refused:
        return forbidden(request, Perm.WEBHOOK_MANAGE, refused.body["error"])
    services.webhook_delete(webhook=webhook)
    messages.success(request, f"Webhook “{webhook_description(webhook)}” deleted.")
    return redirect("ui-webhooks")
