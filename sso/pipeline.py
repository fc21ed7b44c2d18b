"""social-auth pipeline steps: policy, linking and provisioning (see SOCIAL_AUTH_PIPELINE)."""

from social_core.exceptions import AuthPolicyError

from apps.accounts.models import User
from apps.accounts.permissions import Perm, user_has_permission
from sso import queries
from sso.admission import allow_listed_email
from sso.services import sso_user_provision

MODE_FOR_BACKEND = {"github": "github", "google-oauth2": "google"}


class AdminLinkRequired(AuthPolicyError):
    def __str__(self):
        return (
            "This email belongs to an administrator. Sign in with your password and link "
            "this account from Settings > SSO first."
        )


class NoVerifiedEmail(AuthPolicyError):
    def __str__(self):
        return "Your account at the provider has no verified email address."


def mode_allowed(backend, *args, **kwargs):
    if MODE_FOR_BACKEND.get(backend.name) not in queries.login_choices().modes:
        raise AuthPolicyError(backend)


class NotInvited(AuthPolicyError):
    def __str__(self):
        return NOT_INVITED_MESSAGE


NOT_INVITED_MESSAGE = (
    "You are not a member of this organisation. Ask one of its administrators to invite you, "
    "then sign in again with an account whose verified email is the one invited."
)


def user_link_or_provision(backend, details, response=None, user=None, social=None, *args, **kwargs):
    if social is not None:
        return {"user": social.user}
    if user is not None and user.is_authenticated:
        return {"user": user}  # a signed-in person linking their own provider account
    response = response or {}
    emails = [e for e in response.get("verified_emails") or [] if e]
    primary = (details.get("email") or "").strip().lower()
    if primary and primary not in emails:
        emails.insert(0, primary)
    if not emails:
        raise NoVerifiedEmail(backend)
    known = {u.email: u for u in User.objects.filter(email__in=emails)}
    for email in emails:
        existing = known.get(email)
        if existing is not None and user_has_permission(existing, Perm.AUTHENTICATION_SETTINGS_MANAGE):
            # Never hand an admin session to a provider identity on the strength of an email alone
            # (social-app-django #151): admins link while signed in.
            raise AdminLinkRequired(backend)
    email = next((e for e in emails if e in known), None)  # a member or a pending invitee
    if email is None:
        provider = MODE_FOR_BACKEND[backend.name]
        allow = queries.oauth_allow_list(queries.oauth_client_get(provider))
        email = allow_listed_email(provider=provider, allow=allow, response=response, emails=emails)
    if email is None:
        raise NotInvited(backend)
    name = details.get("fullname") or ""
    return {
        "user": sso_user_provision(email=email, name=name, groups=[], source=backend.name),
        "is_new": email not in known,
    }


def user_active_required(backend, user=None, *args, **kwargs):
    if user is None or not user.is_active:
        raise AuthPolicyError(backend)
