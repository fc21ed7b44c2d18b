"""Settings > Subscription on an organisation's host (BILLING_MANAGE only). Views parse, call one
service, render."""

import logging

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.permissions import Perm, require_permission
from billing import services
from billing.forms import CheckoutForm, PlanChangeForm, SeatsForm
from billing.queries import organisation_overview, plans_for_display
from billing.stripe_api import BillingNotConfigured, StripeError, billing_enabled

logger = logging.getLogger(__name__)

PAGE = "/settings/subscription"


def _page(request, status=200, **forms):
    overview = organisation_overview(request.tenant)
    upgrades = [p.slug for p in overview.upgrades if p.self_serve]
    context = {
        "overview": overview,
        "plans": plans_for_display(),
        "billing_enabled": billing_enabled(),
        "checkout_form": forms.get("checkout_form")
        or CheckoutForm(plans=upgrades, initial={"plan": (upgrades or ["team"])[0], "seats": 5}),
        "plan_form": forms.get("plan_form") or PlanChangeForm(initial={"plan": overview.limits.plan.slug}),
        "seats_form": forms.get("seats_form") or SeatsForm(initial={"seats": request.tenant.seats}),
    }
    return render(request, "billing/subscription.html", context, status=status)


@require_GET
@require_permission(Perm.BILLING_MANAGE)
def subscription(request):
    if request.GET.get("checkout") == "done":
        # The redirect proves nothing: the plan changes when Stripe's signed event arrives.
        messages.info(request, "Thanks! Your plan changes as soon as Stripe confirms the payment (usually seconds).")
        return redirect(PAGE)
    return _page(request)


def _run(request, action, form_name=None, form=None):
    """Call a service; a refusal re-renders the page with the message (400), a Stripe outage 502."""
    try:
        return action()
    except services.BillingError as exc:
        message, status = exc.message, 400
    except BillingNotConfigured as exc:
        message, status = str(exc), 503
    except StripeError:
        logger.exception("Stripe call failed")  # the client's errors carry no card data or keys
        message, status = "Stripe did not answer as expected; nothing was changed. Please try again.", 502
    if form is None:
        messages.error(request, message)
        return _page(request, status=status)
    form.add_error(None, message)
    return _page(request, status=status, **{form_name: form})


@require_POST
@require_permission(Perm.BILLING_MANAGE)
def checkout(request):
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, checkout_form=form)
    base = request.build_absolute_uri(PAGE)

    def start():
        url = services.checkout_start(
            tenant=request.tenant,
            actor=request.user,
            plan_slug=form.cleaned_data["plan"],
            seats=form.cleaned_data["seats"],
            success_url=f"{base}?checkout=done",
            cancel_url=base,
        )
        return redirect(url)

    return _run(request, start, "checkout_form", form)


@require_POST
@require_permission(Perm.BILLING_MANAGE)
def portal(request):
    def start():
        return redirect(
            services.portal_start(
                tenant=request.tenant, actor=request.user, return_url=request.build_absolute_uri(PAGE)
            )
        )

    return _run(request, start)


@require_POST
@require_permission(Perm.BILLING_MANAGE)
def plan_change(request):
    form = PlanChangeForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, plan_form=form)

    def change():
        services.subscription_plan_change(
            tenant=request.tenant, actor=request.user, plan_slug=form.cleaned_data["plan"]
        )
        messages.success(request, "Plan change sent to Stripe; it applies as soon as Stripe confirms it.")
        return redirect(PAGE)

    return _run(request, change, "plan_form", form)


@require_POST
@require_permission(Perm.BILLING_MANAGE)
def seats_change(request):
    form = SeatsForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, seats_form=form)

    def change():
        services.subscription_seats_change(tenant=request.tenant, actor=request.user, seats=form.cleaned_data["seats"])
        messages.success(request, "Seat change sent to Stripe; it applies as soon as Stripe confirms it.")
        return redirect(PAGE)

    return _run(request, change, "seats_form", form)
