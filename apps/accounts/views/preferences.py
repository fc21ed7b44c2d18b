"""Settings > Preferences: one's own preferences for everyone; the organisation's for holders of
`system_preference:manage:*` (others do not see that part). Plain forms, no confirmation step: each
save is audited with the values before and after, and undone by saving again."""

from django.contrib import messages
from django.shortcuts import redirect, render

from apps.accounts import preferences as prefs
from apps.accounts import queries
from apps.accounts.forms import PersonalPreferencesForm, SystemPreferencesForm
from apps.accounts.models import User
from apps.accounts.permissions import BUILTIN_ROLES, Perm, forbidden, require_permission, user_has_permission
from apps.accounts.services import IdentityError
from apps.accounts.services.preferences import system_preferences_update, user_preferences_update

# Form field of each preference, to show a service's refusal next to its field.
_FIELDS = {
    prefs.DEFAULT_ROLE: "default_role",
    prefs.DEFAULT_TEAM: "default_team",
    prefs.LOGIN_BANNER: "login_banner",
    prefs.TOKEN_EXPIRY: "token_expiry_amount",
    prefs.TOKEN_EXPIRY_ALERT: "token_expiry_alert",
}


def _system_form(data=None) -> SystemPreferencesForm:
    roles = [
        role
        for role in queries.role_list()
        if role.key != "administrator" and getattr(BUILTIN_ROLES.get(role.key or ""), "assignable", True)
    ]
    current = prefs.system_preferences()
    expiry = current[prefs.TOKEN_EXPIRY] or {}
    initial = {
        "token_expiry_amount": expiry.get("amount"),
        "token_expiry_unit": expiry.get("unit", ""),
        "login_banner": current[prefs.LOGIN_BANNER],
        "default_role": current[prefs.DEFAULT_ROLE] or "",
        "default_team": current[prefs.DEFAULT_TEAM] or "",
    }
    return SystemPreferencesForm(data, initial=initial, roles=roles, teams=queries.team_list())


def _refused(form, exc: IdentityError) -> None:
    field = _FIELDS.get(exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(None)
def preferences(request):
    user = request.user
    if not isinstance(user, User):
        return forbidden(request)
    may_manage = user_has_permission(user, Perm.SYSTEM_PREFERENCE_MANAGE)
    personal = PersonalPreferencesForm(
        initial={"token_expiry_alert": prefs.user_preferences(user)[prefs.TOKEN_EXPIRY_ALERT]}
    )
    system = _system_form() if may_manage else None
    status = 200
    if request.method == "POST":
        part = request.POST.get("part")
        if part == "system" and not may_manage:
            return forbidden(request, Perm.SYSTEM_PREFERENCE_MANAGE)
        form = PersonalPreferencesForm(request.POST) if part == "personal" else _system_form(request.POST)
        if form.is_valid():
            try:
                if part == "personal":
                    user_preferences_update(
                        actor=user,
                        user=user,
                        values={prefs.TOKEN_EXPIRY_ALERT: form.cleaned_data["token_expiry_alert"]},
                    )
                else:
                    system_preferences_update(actor=user, values=form.values())
            except IdentityError as exc:
                _refused(form, exc)
            else:
                messages.success(request, "Preferences saved.")
                return redirect("settings-preferences")
        status = 400
        if part == "personal":
            personal = form
        else:
            system = form
    context = {
        "personal": personal,
        "system": system,
        "banner_preview": prefs.banner_html(prefs.system_preferences()[prefs.LOGIN_BANNER]) if may_manage else "",
    }
    return render(request, "accounts/preferences.html", context, status=status)
