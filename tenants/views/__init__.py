"""The public site: landing page, sign-up, and the sign-up confirmation landing on a tenant."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.core.public import dangerously_public
from tenants import services
from tenants.forms import SignupForm
from tenants.limits import signup_refusal


@dangerously_public("the public site's landing page")
def landing(request):
    return render(request, "public/landing.html")


@dangerously_public("signing up for a new organisation")
@require_http_methods(["GET", "POST"])
def signup(request):
    if settings.SINGLE_TENANT:
        raise Http404("Sign-up is not available on a self-hosted broker.")
    form = SignupForm(request.POST or None)
    refusal = signup_refusal(request) if request.method == "POST" else None
    if refusal:  # past a limit nothing is validated or written
        response = render(
            request,
            "public/signup.html",
            {"form": SignupForm(initial=request.POST.dict()), "refusal": refusal.message},
            status=429,
        )
        response["Retry-After"] = str(refusal.retry_after)
        return response
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.organisation_signup(
                org_name=data["org_name"],
                slug=data["slug"],
                admin_name=data["admin_name"],
                email=data["email"],
                password=data["password"],
                scheme=request.scheme,
                port=request.get_port(),
            )
        except services.SignupError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return render(
                request,
                "public/signup_done.html",
                {"tenant": result.tenant, "email": result.admin.email},
                status=201,
            )
    return render(request, "public/signup.html", {"form": form}, status=400 if form.errors else 200)


@dangerously_public("the signed, single-use confirmation link is the credential")
def confirm(request, token: str):
    try:
        user = services.signup_confirm(token=token, schema_name=request.tenant.schema_name)
    except services.ConfirmationError as exc:
        return render(request, "accounts/confirm_failed.html", {"message": str(exc)}, status=400)
    messages.success(request, f"Thanks, {user.email} is confirmed. You can sign in now.")
    return redirect("login")
