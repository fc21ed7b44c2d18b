"""An organisation's sign-in policy and identity-provider settings. All live in the tenant schema.

There is at most one LoginPolicy and one SamlIdentityProvider per organisation (`singleton` is a
unique constant), so "the organisation's policy" is one indexed row and can be locked with
SELECT ... FOR UPDATE to serialise seat-limited provisioning.
"""

from django.db import models


class LoginPolicy(models.Model):
    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    password_enabled = models.BooleanField(default=True)
    github_enabled = models.BooleanField(default=False)
    google_enabled = models.BooleanField(default=False)
    saml_enabled = models.BooleanField(default=False)
    # Required SAML switches every other mode off, except password sign-in for the break-glass admin.
    saml_required = models.BooleanField(default=False)
    # IdP-initiated (unsolicited) SAML responses carry no InResponseTo to tie them to this browser,
    # so they are easier to replay or to plant (login CSRF): off unless the admin turns it on.
    saml_allow_idp_initiated = models.BooleanField(default=False)
    # The one administrator who may still sign in with a password when password sign-in is off.
    break_glass_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)


def lines_split(text: str) -> list[str]:
    return [line.strip().lower() for line in text.replace(",", "\n").splitlines() if line.strip()]


class OAuthClient(models.Model):
    """An organisation's GitHub or Google sign-in: its own OAuth app (optional) and who may join.

    The client secret is not on this row: apps.secrets keeps it as a sealed value under the
    organisation's data key (sso.queries.client_secret_purpose). Who may sign in without an invitation
    is an allow-list (see sso.admission); all three empty means invited people and members only.
    """

    class Provider(models.TextChoices):
        GITHUB = "github", "GitHub"
        GOOGLE = "google", "Google"

    provider = models.CharField(max_length=10, choices=Provider.choices, unique=True)
    client_id = models.CharField(max_length=200, blank=True)
    # GitHub only: organisation logins, and teams as "organisation/team-slug". One per line.
    allowed_orgs = models.TextField(blank=True)
    allowed_teams = models.TextField(blank=True)
    # Email domains: a verified address there (GitHub), or the Workspace domain `hd` (Google).
    allowed_domains = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def allowed_org_list(self) -> list[str]:
        return lines_split(self.allowed_orgs)

    def allowed_team_list(self) -> list[str]:
        return lines_split(self.allowed_teams)

    def allowed_domain_list(self) -> list[str]:
        return lines_split(self.allowed_domains)


class SamlIdentityProvider(models.Model):
    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    entity_id = models.CharField(max_length=1024)
    sso_url = models.URLField(max_length=1024)
    slo_url = models.URLField(max_length=1024, blank=True)
    # The IdP's signing certificate (public; PEM body or full PEM).
    x509_cert = models.TextField()
    metadata_url = models.URLField(max_length=1024, blank=True)
    # Attribute mapping: empty email attribute means "use the NameID".
    attr_email = models.CharField(max_length=255, blank=True)
    attr_name = models.CharField(max_length=255, blank=True, default="name")
    attr_groups = models.CharField(max_length=255, blank=True, default="groups")
    # Members of any of these IdP groups are organisation administrators (one per line).
    admin_groups = models.TextField(blank=True)
    # The IdP wants our AuthnRequests and logout messages signed (its metadata's WantAuthnRequestsSigned).
    sign_requests = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def admin_group_names(self) -> set[str]:
        return {line.strip() for line in self.admin_groups.replace(",", "\n").splitlines() if line.strip()}


class SamlServiceProviderKey(models.Model):
    """This organisation's SAML SP signing certificate (public: it is in our SP metadata).

    The private key is not on this row: apps.secrets keeps it as a sealed value under the
    organisation's data key (sso.services.SP_KEY_PURPOSE), decrypted only to sign a message.
    """

    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    certificate = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)


class SamlAssertionSeen(models.Model):
    """Assertion IDs already used, kept until they expire: a replayed assertion hits the unique key."""

    assertion_id = models.CharField(max_length=255, unique=True)
    expires_at = models.DateTimeField(db_index=True)
