"""Organisation pages for people and system accounts: list, invite, roles, (de)activate, remove."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from apps.accounts import queries, services
from apps.accounts.forms import InviteForm, SystemAccountForm
from apps.accounts.links import email_base_url
from apps.accounts.models import User
from apps.accounts.permissions import Perm, require_permission
from apps.accounts.views.common import can


def _principal_action(request, user: User, action: str):
    """The actions both people and system accounts have. Returns a secret when one was made."""
    if action == "deactivate":
        services.user_deactivate(actor=request.user, user=user)
        messages.success(request, f"{user.name or user.email} is deactivated.")
    elif action == "reactivate":
        services.user_reactivate(actor=request.user, user=user)
        messages.success(request, f"{user.name or user.email} is active again.")
    elif action == "roles":
        roles = queries.roles_by_uuids(request.POST.getlist("roles"))
        services.user_roles_set(actor=request.user, user=user, roles=roles)
        messages.success(request, "Roles saved.")
    elif action == "regenerate":
        token = queries.token_for_owner(user=user, uuid=request.POST.get("token"))
        if token is None:
            raise Http404("No such token.")
        return services.token_rotate(actor=request.user, token=token)
    return None


@require_permission(Perm.USER_READ, post=Perm.USER_INVITE)
def users(request):
    form = InviteForm()
    status = 200
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                user, _ = services.user_invite(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    base_url=email_base_url(request),
                    seat_type=services.seat_type_parse(form.cleaned_data["seat_type"]),
                )
            except services.IdentityError as exc:
                form.add_error("email", exc.message)
            else:
                messages.success(request, f"Invitation sent to {user.email}.")
                return redirect("organisation-users")
        status = 400
    return render(
        request,
        "organisation/users.html",
        {
            "users": queries.user_list(kind=User.Kind.HUMAN),
            "usage": queries.usage(),
            "form": form,
            "can_manage": can(request, Perm.USER_INVITE),
        },
        status=status,
    )


@require_permission(Perm.USER_READ, post=Perm.USER_MANAGE)
def user_detail(request, uuid):
    user = queries.user_by_uuid(uuid, kind=User.Kind.HUMAN)
    if user is None:
        raise Http404("No such user.")
    new_secret = new_token = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "remove":
                services.user_remove(actor=request.user, user=user)
                messages.success(request, f"{user.email} was removed.")
                return redirect("organisation-users")
            if action == "reinvite":
                services.user_invite(actor=request.user, email=user.email, base_url=email_base_url(request))
                messages.success(request, f"A new invitation was sent to {user.email}.")
            else:
                made = _principal_action(request, user, action)
                if made:
                    new_token, new_secret = made
        except services.IdentityError as exc:
            messages.error(request, exc.message)
        if new_secret is None:
            return redirect("organisation-user", uuid=user.uuid)
        user = queries.user_by_uuid(uuid)
    return render(
        request,
        "organisation/user_detail.html",
        {
            "subject": user,
            "is_self": user.pk == request.user.pk,
            "last_admin": queries.administrator_is_last(user),
            "roles": queries.role_list(),
            "held": {role.pk for role in user.roles.all()},
            "tokens": queries.token_list(user=user),
            "can_manage": can(request, Perm.USER_MANAGE),
            "new_secret": new_secret,
            "new_token": new_token,
        },
    )


@require_permission(Perm.SYSTEM_ACCOUNT_READ, post=Perm.SYSTEM_ACCOUNT_MANAGE)
def system_accounts(request):
    form = SystemAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.system_account_create(actor=request.user, name=form.cleaned_data["name"])
        except services.IdentityError as exc:
            form.add_error("name", exc.message)
        else:
            messages.success(request, f"System account {account.name} created: regenerate a token to use it.")
            return redirect("organisation-system-account", uuid=account.uuid)
    return render(
        request,
        "organisation/system_accounts.html",
        {
            "accounts": queries.user_list(kind=User.Kind.SYSTEM),
            "usage": queries.usage(),
            "form": form,
            "can_manage": can(request, Perm.SYSTEM_ACCOUNT_MANAGE),
        },
        status=400 if form.errors else 200,
    )


@require_permission(Perm.SYSTEM_ACCOUNT_MANAGE)
def system_account_detail(request, uuid):
    account = queries.user_by_uuid(uuid, kind=User.Kind.SYSTEM)
    if account is None:
        raise Http404("No such system account.")
    new_secret = new_token = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "remove":
                services.user_remove(actor=request.user, user=account)
                messages.success(request, f"{account.name} was removed.")
                return redirect("organisation-system-accounts")
            if action == "create-token":
                new_token, new_secret = services.token_create(
                    user=account,
                    actor=request.user,
                    name=request.POST.get("name", ""),
                    read_only=request.POST.get("read_only") == "on",
                )
            else:
                made = _principal_action(request, account, action)
                if made:
                    new_token, new_secret = made
        except services.IdentityError as exc:
            messages.error(request, exc.message)
        if new_secret is None:
            return redirect("organisation-system-account", uuid=account.uuid)
        account = queries.user_by_uuid(uuid)
    return render(
        request,
        "organisation/system_account_detail.html",
        {
            "subject": account,
            "last_admin": queries.administrator_is_last(account),
            "roles": queries.role_list(),
            "held": {role.pk for role in account.roles.all()},
            "tokens": queries.token_list(user=account),
            "can_manage": True,
            "new_secret": new_secret,
            "new_token": new_token,
        },
    )
