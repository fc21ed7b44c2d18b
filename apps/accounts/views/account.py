"""The signed-in person's own pages: API tokens."""

from datetime import UTC

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts import queries, services
from apps.accounts.forms import TokenForm
from apps.accounts.permissions import Perm, require_permission


def token_page_context(user) -> dict:
    return {
        "tokens": queries.token_list(user=user),
        "expiring": queries.tokens_expiry_alert(user=user),
        "now": timezone.now(),
    }


@require_permission(Perm.TOKEN_MANAGE)
def tokens(request):
    """List, add, regenerate, revoke. A new secret is rendered in this response only (never put in
    the session or a redirect), with a copy button."""
    form = TokenForm(initial={"read_only": True})
    new_secret = new_token = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                form = TokenForm(request.POST)
                if form.is_valid():
                    expires = form.cleaned_data["expires_at"]
                    if expires is not None and timezone.is_naive(expires):
                        expires = timezone.make_aware(expires, UTC)
                    new_token, new_secret = services.token_create(
                        user=request.user,
                        actor=request.user,
                        name=form.cleaned_data["name"],
                        read_only=form.cleaned_data["read_only"],
                        expires_at=expires,
                    )
                    form = TokenForm(initial={"read_only": True})
                else:
                    status = 400
            elif action in ("regenerate", "revoke"):
                token = queries.token_for_owner(user=request.user, uuid=request.POST.get("token"))
                if token is None:
                    messages.error(request, "That token does not exist.")
                    return redirect("account-tokens")
                if action == "regenerate":
                    new_token, new_secret = services.token_rotate(actor=request.user, token=token)
                else:
                    services.token_revoke(actor=request.user, token=token)
                    messages.success(request, f"Token “{token.name}” revoked.")
                    return redirect("account-tokens")
        except services.IdentityError as exc:
            form.add_error(None, exc.message)
            status = 400
    return render(
        request,
        "accounts/tokens.html",
        {**token_page_context(request.user), "form": form, "new_secret": new_secret, "new_token": new_token},
        status=status,
    )
