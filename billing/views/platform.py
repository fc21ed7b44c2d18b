"""The platform admin on the public site (/platform/): staff users of the PUBLIC schema only.

Lists organisations with plan, seats used/bought and billing status; sets a plan by hand for
invoiced customers; starts an annual invoiced subscription. Organisation users can never sign in
here: their accounts live in their own schemas, and this login looks only at the public one.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.forms import LoginForm
from apps.accounts.permissions import forbidden
from apps.core.public import dangerously_public
from billing import services
from billing.forms import InvoicedSubscriptionForm, PlanSetForm
from billing.queries import organisation_overview, organisations_overview
from billing.stripe_api import BillingNotConfigured, StripeError

LOGIN = "/platform/login"


class PlatformLoginForm(LoginForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError("This sign-in is for platform staff only.", code="not_staff")


@dangerously_public("signing in to the platform")
class PlatformLoginView(auth_views.LoginView):
    template_name = "billing/platform/login.html"
    authentication_form = PlatformLoginForm
    redirect_authenticated_user = True
    next_page = "/platform/"

    def get_default_redirect_url(self):
        return "/platform/"


@dangerously_public("signing out ends only the caller's own session")
class PlatformLogoutView(auth_views.LogoutView):
    next_page = LOGIN


def staff_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.tenant.pk is not None:  # only ever on the public site
            raise Http404
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{LOGIN}?next={request.path}")
        if not (user.is_active and user.is_staff):
            return forbidden(request)
        return view(request, *args, **kwargs)

    wrapped.permission_gate = ("platform staff", None)
    return wrapped


def _tenant(slug: str):
    from tenants.models import Tenant

    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise Http404
    return tenant


@require_GET
@staff_required
def organisations(request):
    return render(request, "billing/platform/organisations.html", {"rows": organisations_overview()})


def _detail(request, tenant, status=200, plan_form=None, invoiced_form=None):
    return render(
        request,
        "billing/platform/organisation.html",
        {
            "row": organisation_overview(tenant),
            "plan_form": plan_form or PlanSetForm(initial={"plan": tenant.plan, "seats": tenant.seats}),
            "invoiced_form": invoiced_form
            or InvoicedSubscriptionForm(initial={"plan": "business", "seats": tenant.seats}),
        },
        status=status,
    )


@require_GET
@staff_required
def organisation(request, slug: str):
    return _detail(request, _tenant(slug))


@require_POST
@staff_required
def plan_set(request, slug: str):
    tenant = _tenant(slug)
    form = PlanSetForm(request.POST)
    if form.is_valid():
        try:
            services.plan_set_by_hand(
                tenant=tenant,
                staff=request.user,
                plan_slug=form.cleaned_data["plan"],
                seats=form.cleaned_data["seats"],
                follow_stripe=form.cleaned_data["follow_stripe"],
            )
        except services.BillingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{tenant.name} is now on {tenant.plan} with {tenant.seats} seats.")
            return redirect(f"/platform/organisations/{tenant.slug}")
    return _detail(request, tenant, status=400, plan_form=form)


@require_http_methods(["POST"])
@staff_required
def invoiced_start(request, slug: str):
    tenant = _tenant(slug)
    form = InvoicedSubscriptionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.subscription_invoiced_start(
                tenant=tenant,
                staff=request.user,
                plan_slug=form.cleaned_data["plan"],
                seats=form.cleaned_data["seats"],
                billing_email=form.cleaned_data["billing_email"],
            )
        except services.BillingError as exc:
            form.add_error(None, exc.message)
        except BillingNotConfigured as exc:
            form.add_error(None, str(exc))
            status = 503
        except StripeError:
            form.add_error(None, "Stripe did not answer as expected; nothing was changed.")
            status = 502
        else:
            messages.success(request, "Invoiced subscription started; Stripe emails the first invoice.")
            return redirect(f"/platform/organisations/{tenant.slug}")
    return _detail(request, tenant, status=status, invoiced_form=form)
