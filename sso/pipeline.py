"""social-auth pipeline steps: policy, linking and provisioning (see SOCIAL_AUTH_PIPELINE)."""
from social_core.exceptions import AuthPolicyError

from apps.accounts.models import User
from apps.accounts.permissions import Perm, user_has_permission
from sso import queries
from sso.services import sso_user_provision

MODE_FOR_BACKEND = {"github": "github", "google-oauth2": "google"}


class AdminLinkRequired(AuthPolicyError):
    def __str__(self):
        return ("This email belongs to an administrator. Sign in with your password and link "
                "this account from Settings > SSO first.")


class NoVerifiedEmail(AuthPolicyError):
    def __str__(self):
        return "Your account at the provider has no verified email address."


def mode_allowed(backend, *args, **kwargs):
    if MODE_FOR_BACKEND.get(backend.name) not in queries.login_choices().modes:
        raise AuthPolicyError(backend)


def user_link_or_provision(backend, details, user=None, social=None, *args, **kwargs):
    if social is not None:
        return {"user": social.user}
    if user is not None and user.is_authenticated:
        return {"user": user}  # a signed-in person linking their own provider account
    email = (details.get("email") or "").strip().lower()
    if not email:
        raise NoVerifiedEmail(backend)
    existing = User.objects.filter(email=email).first()
    if existing is not None and user_has_permission(existing, Perm.SETTINGS_MANAGE):
        # Never hand an admin session to a provider identity on the strength of an email alone
        # (social-app-django #151): admins link while signed in.
        raise AdminLinkRequired(backend)
    name = details.get("fullname") or ""
    return {"user": sso_user_provision(email=email, name=name, groups=[], source=backend.name),
            "is_new": existing is None}


def user_active_required(backend, user=None, *args, **kwargs):
    if user is None or not user.is_active:
        raise AuthPolicyError(backend)
