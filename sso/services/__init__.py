"""Writes: the sign-in policy, IdP and OAuth settings, SSO users (provisioning), and the replay store."""

import hashlib
import re
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.audit import changes
from apps.accounts.models import User
from apps.accounts.permissions import Perm, user_has_permission
from apps.accounts.services.errors import LimitReached
from apps.accounts.services.users import seats_check, user_create
from apps.secrets.crypto import SecretsNotConfigured
from apps.secrets.services import sealed_value_exists, sealed_value_put
from sso import queries
from sso.audit import sso_audit
from sso.certificates import certificate_normalise, sp_key_pair_generate
from sso.errors import SeatsExhausted, SsoError
from sso.models import (
    LoginPolicy,
    OAuthClient,
    SamlAssertionSeen,
    SamlIdentityProvider,
    SamlServiceProviderKey,
    lines_split,
)


def _policy_locked() -> LoginPolicy:
    policy, _ = LoginPolicy.objects.get_or_create(singleton=1)
    return LoginPolicy.objects.select_for_update().get(pk=policy.pk)


@transaction.atomic
def login_policy_update(
    *,
    actor: User,
    password_enabled: bool,
    github_enabled: bool,
    google_enabled: bool,
    saml_enabled: bool,
    saml_required: bool,
    saml_allow_idp_initiated: bool,
    break_glass_email: str,
) -> LoginPolicy:
    available = queries.modes_available()
    wanted = {"password": password_enabled, "github": github_enabled, "google": google_enabled, "saml": saml_enabled}
    for mode, on in wanted.items():
        if on and mode not in available:
            raise SsoError(f"Your plan does not include {mode} sign-in.")
    if saml_required and not saml_enabled:
        raise SsoError("SAML can only be required when it is enabled.")
    if saml_required and not queries._configured("saml", queries.saml_idp_get()):
        raise SsoError("Configure your identity provider before requiring SAML.")
    if not any(wanted.values()):
        raise SsoError("Leave at least one way to sign in.")
    break_glass_email = break_glass_email.strip().lower()
    if saml_required or not password_enabled:
        # Without a break-glass admin a broken IdP would lock the whole organisation out.
        admin = User.objects.filter(email=break_glass_email, is_active=True).first()
        if admin is None or not user_has_permission(admin, Perm.AUTHENTICATION_SETTINGS_MANAGE):
            raise SsoError("Name an active administrator as the break-glass account when password sign-in is off.")
    policy = _policy_locked()
    before = {f: getattr(policy, f) for f in _POLICY_FIELDS}
    policy.password_enabled = password_enabled and not saml_required
    policy.github_enabled = github_enabled
    policy.google_enabled = google_enabled
    policy.saml_enabled = saml_enabled
    policy.saml_required = saml_required
    policy.saml_allow_idp_initiated = saml_allow_idp_initiated
    policy.break_glass_email = break_glass_email
    policy.save()
    after = {f: getattr(policy, f) for f in _POLICY_FIELDS}
    sso_audit(actor=actor, action="sso.policy_updated", details=changes(before, after))
    return policy


_POLICY_FIELDS = (
    "password_enabled",
    "github_enabled",
    "google_enabled",
    "saml_enabled",
    "saml_required",
    "saml_allow_idp_initiated",
    "break_glass_email",
)


def _idp_facts(idp: SamlIdentityProvider) -> dict:
    """The identity provider's settings as the audit log shows them (the certificate is public, but
    long: its change is a flag)."""
    return {
        "entity_id": idp.entity_id,
        "sso_url": idp.sso_url,
        "slo_url": idp.slo_url,
        "metadata_url": idp.metadata_url,
        "attr_email": idp.attr_email,
        "attr_name": idp.attr_name,
        "attr_groups": idp.attr_groups,
        "admin_groups": idp.admin_groups,
        "sign_requests": idp.sign_requests,
        "certificate_sha256": hashlib.sha256((idp.x509_cert or "").encode()).hexdigest()[:16],
    }


@transaction.atomic
def saml_idp_update(
    *,
    actor: User,
    entity_id: str,
    sso_url: str,
    slo_url: str,
    x509_cert: str,
    metadata_url: str = "",
    attr_email: str = "",
    attr_name: str = "name",
    attr_groups: str = "groups",
    admin_groups: str = "",
    sign_requests: bool = False,
) -> SamlIdentityProvider:
    if not (entity_id and sso_url and x509_cert):
        raise SsoError("The identity provider needs an entity ID, a sign-in URL and a signing certificate.")
    idp, _ = SamlIdentityProvider.objects.select_for_update().get_or_create(
        singleton=1, defaults={"entity_id": entity_id, "sso_url": sso_url, "x509_cert": ""}
    )
    before = _idp_facts(idp)
    idp.entity_id = entity_id.strip()
    idp.sso_url = sso_url.strip()
    idp.slo_url = slo_url.strip()
    idp.x509_cert = certificate_normalise(x509_cert)
    idp.metadata_url = metadata_url.strip()
    idp.attr_email = attr_email.strip()
    idp.attr_name = attr_name.strip()
    idp.attr_groups = attr_groups.strip()
    idp.admin_groups = admin_groups.strip()
    idp.sign_requests = bool(sign_requests)
    if idp.sign_requests:
        saml_sp_key_ensure(actor=actor)  # signing needs our key before the first sign-in
    idp.save()
    sso_audit(
        actor=actor,
        action="sso.saml_idp_updated",
        details=changes(before, _idp_facts(idp)),
    )
    return idp


SP_KEY_PURPOSE = "sso.saml.sp_private_key"


@transaction.atomic
def saml_sp_key_ensure(*, actor: User | None = None) -> str:
    """This organisation's SP signing certificate (base64 DER), creating the key pair on first use.

    RSA-2048 with a self-signed certificate (IdPs trust SP certificates by pinning, not by chain);
    the private key goes to apps.secrets as a sealed value and is never shown or logged.
    """
    row = SamlServiceProviderKey.objects.select_for_update().filter(singleton=1).first()
    if row is not None and sealed_value_exists(purpose=SP_KEY_PURPOSE):
        return row.certificate
    private_pem, certificate = sp_key_pair_generate(common_name=f"{queries.current_schema()} SAML SP")
    try:
        sealed_value_put(purpose=SP_KEY_PURPOSE, value=private_pem)
    except SecretsNotConfigured as exc:
        raise SsoError(
            "A SAML signing key cannot be stored: no master key is configured (SECRETS_MASTER_KEYS)."
        ) from exc
    SamlServiceProviderKey.objects.update_or_create(singleton=1, defaults={"certificate": certificate})
    sso_audit(actor=actor, action="sso.saml_sp_key_created", details={})
    return certificate


_GITHUB_LOGIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38})$")
_GITHUB_TEAM = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38})/[a-z0-9_.-]{1,100}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _allow_list_check(values: list[str], pattern, what: str) -> None:
    bad = [v for v in values if not pattern.match(v)]
    if bad:
        raise SsoError(f"Not a valid {what}: {bad[0][:100]}")


@transaction.atomic
def oauth_client_update(
    *,
    actor: User,
    provider: str,
    client_id: str,
    client_secret: str | None,
    allowed_orgs: str = "",
    allowed_teams: str = "",
    allowed_domains: str = "",
) -> OAuthClient:
    """Save an organisation's OAuth app and allow-lists. An empty `client_secret` keeps the stored one.

    With all allow-lists empty only members and invited people may sign in (sso.admission).
    """
    client, _ = OAuthClient.objects.select_for_update().get_or_create(provider=provider)
    client.client_id = client_id.strip()
    if client_secret:
        # Envelope encryption under the organisation's data key (apps.secrets), never SECRET_KEY.
        try:
            sealed_value_put(purpose=queries.client_secret_purpose(provider), value=client_secret.strip())
        except SecretsNotConfigured as exc:
            raise SsoError(
                "Client secrets cannot be stored: no master key is configured (SECRETS_MASTER_KEYS)."
            ) from exc
    if provider == OAuthClient.Provider.GOOGLE and (allowed_orgs.strip() or allowed_teams.strip()):
        raise SsoError("Google has no organisations or teams: allow email domains instead.")
    client.allowed_orgs = "\n".join(lines_split(allowed_orgs))
    client.allowed_teams = "\n".join(lines_split(allowed_teams))
    client.allowed_domains = "\n".join(d.lstrip("@") for d in lines_split(allowed_domains))
    _allow_list_check(client.allowed_org_list(), _GITHUB_LOGIN, "GitHub organisation")
    _allow_list_check(client.allowed_team_list(), _GITHUB_TEAM, "GitHub team (organisation/team-slug)")
    _allow_list_check(client.allowed_domain_list(), _DOMAIN, "email domain")
    client.save()
    sso_audit(
        actor=actor,
        action="sso.oauth_client_updated",
        details={
            "provider": provider,
            "client_id": client.client_id,
            "secret_changed": bool(client_secret),
            "allowed_orgs": client.allowed_org_list(),
            "allowed_teams": client.allowed_team_list(),
            "allowed_domains": client.allowed_domain_list(),
        },
    )
    return client


@transaction.atomic
def sso_user_matched(*, email: str, name_id: str = "", source: str) -> User | None:
    """Who a verified identity is. For SAML, first the person whose SCIM `externalId` (PactFlow's
    `externalIdpId`) is the assertion's NameID, exactly (the directory's id outlives an email
    change), and only if exactly one person has it; then, for every source, the email."""
    if source == "saml" and name_id:
        by_id = list(User.objects.filter(external_idp_id=name_id, kind=User.Kind.HUMAN)[:2])
        if len(by_id) == 1:
            return by_id[0]
    return User.objects.filter(email=email).first()


def sso_user_provision(*, email: str, name: str, groups: list[str], source: str, name_id: str = "") -> User:
    """The user a verified SSO identity signs in as: matched (`sso_user_matched`), or created within
    the seats.

    The seat and role rules of SSO sign-ins are all here. Role from groups: only SAML carries groups;
    when the IdP configuration names admin groups, membership decides the administrator flag at every
    sign-in (the break-glass admin is never demoted).
    """
    email = email.strip().lower()
    # Locking the policy row serialises concurrent first sign-ins, so the seat count cannot be raced.
    policy = _policy_locked()
    is_admin = None
    if source == "saml":
        idp = queries.saml_idp_get()
        admin_groups = idp.admin_group_names() if idp else set()
        if admin_groups:
            is_admin = bool(admin_groups & set(groups))
    user = sso_user_matched(email=email, name_id=name_id, source=source)
    if user is not None:
        if not user.is_active or user.kind != User.Kind.HUMAN:
            raise SsoError("This account is disabled. Ask an administrator of your organisation.")
        fields = []
        if not user.email_confirmed:
            user.email_confirmed = True
            fields.append("email_confirmed")
        if user.invitation_key:
            # The invitee proved their email through the IdP: the invitation is accepted (and its link dies).
            user.invitation_key = ""
            fields.append("invitation_key")
            sso_audit(actor=user, action="user.invitation_accepted", details={"email": user.email, "source": source})
        if name and not user.name:
            user.name = name[:150]
            fields.append("name")
        if (
            is_admin is not None
            and is_admin != user.is_superuser
            and not (not is_admin and user.email == policy.break_glass_email)
        ):
            user.is_superuser = user.is_staff = is_admin
            fields += ["is_superuser", "is_staff"]
            sso_audit(actor=None, action="sso.role_synced", details={"email": user.email, "admin": is_admin})
        if fields:
            user.save(update_fields=fields)
        return user
    try:
        seats_check()  # Identity's rule: active people and pending invitations against the plan's seats
    except LimitReached as exc:
        raise SeatsExhausted(exc.message) from None
    # Through the accounts service, so the person gets the default role (User, or Administrator),
    # their token slots and an audit entry like anyone added another way.
    user = user_create(
        email=email, password=None, name=(name or "")[:150], email_confirmed=True, is_admin=bool(is_admin)
    )
    if is_admin:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    sso_audit(
        actor=None, action="sso.user_provisioned", details={"email": email, "source": source, "admin": bool(is_admin)}
    )
    return user


@transaction.atomic
def saml_assertion_consume(*, assertion_id: str, not_on_or_after: datetime | None) -> None:
    """Record an assertion as used; raise SsoError if it was used before (a replay).

    IDs are kept until the assertion could no longer be accepted (its NotOnOrAfter plus the clock
    skew we allow), as the SAML profiles ask; expired rows are purged on the way.
    """
    now = timezone.now()
    SamlAssertionSeen.objects.filter(expires_at__lt=now).delete()
    expires_at = max(not_on_or_after or now, now) + timedelta(minutes=10)
    try:
        with transaction.atomic():
            SamlAssertionSeen.objects.create(assertion_id=assertion_id, expires_at=expires_at)
    except IntegrityError as exc:
        raise SsoError("This sign-in response was already used.") from exc
