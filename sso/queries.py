"""Reads: which sign-in modes an organisation offers, and the settings behind each.

A mode is *enabled* only when the plan includes it, the admin switched it on and it is fully
configured; so a plan downgrade or a half-filled form can never lock people out or open a door.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from apps.accounts.permissions import Perm, user_has_permission
from apps.secrets.crypto import DecryptionFailed, SecretsNotConfigured
from apps.secrets.services import sealed_value_get
from billing.plans import limits_for
from sso.admission import AllowList
from sso.models import LoginPolicy, OAuthClient, SamlIdentityProvider, SamlServiceProviderKey

logger = logging.getLogger(__name__)

MODES = ("password", "github", "google", "saml")
# Self-hosted brokers have no platform OAuth apps and no plan: password and SAML only.
SELF_HOSTED_MODES = frozenset({"password", "saml"})


def current_tenant():
    return getattr(connection, "tenant", None)


def current_schema() -> str:
    return connection.schema_name


def login_policy_get() -> LoginPolicy:
    return LoginPolicy.objects.filter(singleton=1).first() or LoginPolicy()


def saml_idp_get() -> SamlIdentityProvider | None:
    return SamlIdentityProvider.objects.filter(singleton=1).first()


def saml_sp_certificate() -> str | None:
    row = SamlServiceProviderKey.objects.filter(singleton=1).first()
    return row.certificate if row else None


def saml_sp_private_key() -> str | None:
    """The SP's private key (PEM), decrypted for signing one message; None if unreadable."""
    try:
        return sealed_value_get(purpose="sso.saml.sp_private_key")
    except (DecryptionFailed, SecretsNotConfigured):
        logger.warning("The organisation's SAML signing key cannot be decrypted")
        return None


def oauth_client_get(provider: str) -> OAuthClient | None:
    return OAuthClient.objects.filter(provider=provider).first()


def modes_available(tenant=None) -> frozenset[str]:
    """What the plan (or the self-hosted shape) allows."""
    if settings.SINGLE_TENANT:
        return SELF_HOSTED_MODES
    return limits_for(tenant or current_tenant()).plan.sso_modes


@dataclass(frozen=True)
class OAuthCredentials:
    client_id: str
    client_secret: str
    allow: AllowList


def oauth_allow_list(client: OAuthClient | None) -> AllowList:
    if client is None:
        return AllowList()
    if client.provider == OAuthClient.Provider.GOOGLE:
        return AllowList(domains=frozenset(client.allowed_domain_list()))
    return AllowList(
        orgs=frozenset(client.allowed_org_list()),
        teams=frozenset(client.allowed_team_list()),
        domains=frozenset(client.allowed_domain_list()),
    )


def oauth_credentials(provider: str) -> OAuthCredentials | None:
    """The organisation's own OAuth app, else the platform-wide one from the environment."""
    client = oauth_client_get(provider)
    allow = oauth_allow_list(client)
    if client and client.client_id:
        try:
            secret = sealed_value_get(purpose=client_secret_purpose(provider))
        except (DecryptionFailed, SecretsNotConfigured):
            # The mode is then simply not offered; neither the value nor its ciphertext is logged.
            logger.warning("The organisation's %s client secret cannot be decrypted", provider)
            return None
        if secret:
            return OAuthCredentials(client.client_id, secret, allow)
    platform_id = getattr(settings, f"SSO_{provider.upper()}_CLIENT_ID", "")
    platform_secret = getattr(settings, f"SSO_{provider.upper()}_CLIENT_SECRET", "")
    if platform_id and platform_secret:
        return OAuthCredentials(platform_id, platform_secret, allow)
    return None


def client_secret_purpose(provider: str) -> str:
    """Where apps.secrets keeps the organisation's client secret (a sealed value, not a Secret)."""
    return f"sso.{provider}.client_secret"


def _configured(mode: str, idp: SamlIdentityProvider | None) -> bool:
    if mode == "password":
        return True
    if mode == "saml":
        return bool(idp and idp.entity_id and idp.sso_url and idp.x509_cert)
    return oauth_credentials(mode) is not None


@dataclass(frozen=True)
class LoginChoices:
    modes: frozenset[str]
    saml_required: bool
    break_glass_email: str
    allow_idp_initiated: bool

    @property
    def password(self) -> bool:
        return "password" in self.modes


def login_choices(policy: LoginPolicy | None = None) -> LoginChoices:
    policy = policy or login_policy_get()
    available = modes_available()
    idp = saml_idp_get() if "saml" in available else None
    wanted = {mode for mode in MODES if getattr(policy, f"{mode}_enabled")}
    enabled = {mode for mode in wanted & available if _configured(mode, idp)}
    required = policy.saml_required and "saml" in enabled
    if required:
        enabled = {"saml"}
    if not enabled:
        # Nothing usable (plan change, broken configuration): fall back to passwords, never lock out.
        enabled = {"password"}
    return LoginChoices(
        modes=frozenset(enabled),
        saml_required=required,
        break_glass_email=policy.break_glass_email.lower(),
        allow_idp_initiated=policy.saml_allow_idp_initiated,
    )


def password_login_allowed(*, email: str, user=None) -> bool:
    choices = login_choices()
    if choices.password:
        return True
    # The break-glass account must still be an active administrator to use its exception.
    return bool(
        choices.break_glass_email
        and email.lower() == choices.break_glass_email
        and user is not None
        and user.is_active
        and user_has_permission(user, Perm.AUTHENTICATION_SETTINGS_MANAGE)
    )


def scim_unavailable_reason() -> str | None:
    """Why this organisation cannot use SCIM provisioning (sso/scim/), or None: the plan must include
    it (a self-hosted broker always does) and SAML sign-in must be on, since provisioned people sign
    in with it."""
    if not settings.SINGLE_TENANT:
        plan = limits_for(current_tenant()).plan
        if not plan.scim:
            return f"SCIM provisioning is part of the Enterprise plan; this organisation is on the {plan.name} plan."
    if "saml" not in login_choices().modes:
        return (
            "SCIM provisioning needs SAML single sign-on, which provisioned people sign in with: "
            "configure and switch on SAML under Settings > SSO first."
        )
    return None
