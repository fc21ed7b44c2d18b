"""Sign-in, sign-out, password reset and change, and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from apps.accounts import lockout, services
from apps.accounts.audit import audit_record, client_ip
from apps.accounts.forms import LoginForm, NewPasswordForm
from apps.accounts.links import UntrustedHost, email_base_url
from apps.accounts.permissions import require_permission
from apps.core.public import dangerously_public


@dangerously_public("signing in")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@dangerously_public("signing out ends only the caller's own session")
class LogoutView(auth_views.LogoutView):
    next_page = "login"


@dangerously_public("a forgotten password: answers the same whether or not the address is known")
class PasswordResetView(auth_views.PasswordResetView):
    """Email a reset link (Django's signed, expiring token; PASSWORD_RESET_TIMEOUT). The answer is
    the same whether or not the email belongs to someone, so it reveals no members."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        # The link's host comes from configuration, never from the Host header (apps/accounts/links.py).
        try:
            base = email_base_url(self.request)
        except UntrustedHost as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        self.extra_email_context = {"base_url": base}
        return super().form_valid(form)


@dangerously_public("a static page after asking for a reset")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@dangerously_public("the signed, single-use reset link is the credential")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.user, action="user.password_reset", target=form.user, request=self.request)
        # Proving control of the mailbox lifts a lock-out on the account.
        lockout.login_success_record(email=form.user.email, ip=client_ip(self.request))
        return response


@dangerously_public("a static page after a reset")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_permission(None)  # any signed-in person, for their own password
def password_change(request):
    """Change one's password; every other session of the user ends, this one stays."""
    error = None
    if request.method == "POST":
        if not request.user.check_password(request.POST.get("old_password", "")):
            error = "Your current password is not right."
        elif request.POST.get("new_password1") != request.POST.get("new_password2"):
            error = "The two new passwords differ."
        else:
            try:
                services.user_password_set(
                    actor=request.user, user=request.user, password=request.POST.get("new_password1", "")
                )
            except services.IdentityError as exc:
                error = exc.message
            else:
                update_session_auth_hash(request, request.user)
                messages.success(request, "Your password is changed. Your other sessions have been signed out.")
                return redirect("account-password")
    return render(request, "accounts/password_change.html", {"error": error}, status=400 if error else 200)


@dangerously_public("the signed, single-use invitation link is the credential")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    try:
        invitee = services.invitation_user(token=token)
    except services.InvitationInvalid as exc:
        return render(request, "accounts/invitation_invalid.html", {"message": exc.message}, status=400)
    form = NewPasswordForm(request.POST or None, initial={"name": invitee.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data["password1"], name=form.cleaned_data["name"]
            )
        except services.IdentityError as exc:
            form.add_error("password1" if exc.field == "password" else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your account is ready.")
            return redirect("/")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "invitee": invitee},
        status=400 if form.errors else 200,
    )
