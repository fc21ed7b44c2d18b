"""Who GitHub and Google sign-in let in: invited people and members by default, allow-lists to open it.

Everything goes through the real flow: the sign-in button, the local provider's authorize, token and
API endpoints (GitHub's and Google's shapes), and our callback.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User
from sso.models import OAuthClient
from tests.sso.conftest import oauth_configure
from tests.sso.test_social_login import _sign_in, _start

pytestmark = pytest.mark.django_db

NOT_INVITED = (
    b"You are not a member of this organisation. Ask one of its administrators to invite you, "
    b"then sign in again with an account whose verified email is the one invited."
)
NO_VERIFIED_EMAIL = b"Your account at the provider has no verified email address."


def _refused(client, answer, message: bytes):
    assert answer.status_code == 403, answer.content[:300]
    assert message in answer.content
    assert "_auth_user_id" not in client.session


def _invite(org, email: str) -> User:
    from apps.accounts.services.invitations import user_invite

    with schema_context(org.schema):
        user, _ = user_invite(actor=org.admin, email=email, base_url=f"http://{org.host}")
    return user


def _signed_in_as(org, client) -> str:
    with schema_context(org.schema):
        return User.objects.get(pk=client.session["_auth_user_id"]).email


# --- GitHub, nothing allow-listed ----------------------------------------------------------------


def test_github_by_default_refuses_a_stranger_with_a_clear_message(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github")
    client = acme.browser()

    # No allow-list: the organisation memberships are not even asked for.
    assert parse_qs(urlsplit(_start(client, "github")).query)["scope"] == ["user:email"]
    _refused(client, _sign_in(client, "github"), NOT_INVITED)
    with schema_context(acme.schema):
        assert not User.objects.filter(email="octo@acme.example").exists()


def test_github_by_default_admits_an_invited_person_and_accepts_the_invitation(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github")
    invited = _invite(acme, "octo@acme.example")
    client = acme.browser()

    assert _sign_in(client, "github").status_code == 302

    assert client.session["_auth_user_id"] == str(invited.pk)
    with schema_context(acme.schema):
        invited.refresh_from_db()
        assert not invited.invitation_pending and invited.email_confirmed
        assert User.objects.filter(email="octo@acme.example").count() == 1


def test_github_admits_a_person_invited_under_a_secondary_verified_email(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github")
    oauth_provider.state.github_emails[:] = [
        {"email": "octo@gmail.example", "primary": True, "verified": True},
        {"email": "octo.work@acme.example", "primary": False, "verified": True},
    ]
    invited = _invite(acme, "octo.work@acme.example")
    client = acme.browser()

    assert _sign_in(client, "github").status_code == 302
    assert client.session["_auth_user_id"] == str(invited.pk)


def test_github_does_not_admit_an_invitation_matched_only_by_an_unverified_email(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github")
    oauth_provider.state.github_emails[:] = [
        {"email": "eve@evil.example", "primary": True, "verified": True},
        {"email": "octo@acme.example", "primary": False, "verified": False},
    ]
    _invite(acme, "octo@acme.example")
    client = acme.browser()

    _refused(client, _sign_in(client, "github"), NOT_INVITED)


def test_github_by_default_refuses_a_deactivated_member(acme, oauth_provider):
    from apps.accounts.services import user_create

    oauth_configure(acme, oauth_provider, name="github")
    with schema_context(acme.schema):
        user = user_create(email="octo@acme.example", name="Octo", password=None, email_confirmed=True)
        User.objects.filter(pk=user.pk).update(is_active=False)
    client = acme.browser()

    _refused(client, _sign_in(client, "github"), b"This account is disabled.")


# --- GitHub allow-lists --------------------------------------------------------------------------


def test_github_admits_a_member_of_an_allowed_github_organisation(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_orgs="acme-inc")
    client = acme.browser()

    assert "read:org" in parse_qs(urlsplit(_start(client, "github")).query)["scope"][0]
    assert _sign_in(client, "github").status_code == 302
    assert _signed_in_as(acme, client) == "octo@acme.example"


def test_github_admits_a_member_of_an_allowed_team(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_teams="acme-inc/platform")
    client = acme.browser()

    assert "read:org" in parse_qs(urlsplit(_start(client, "github")).query)["scope"][0]
    assert _sign_in(client, "github").status_code == 302
    assert _signed_in_as(acme, client) == "octo@acme.example"


def test_github_refuses_a_member_of_the_organisation_who_is_not_on_the_allowed_team(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_teams="acme-inc/payments")
    client = acme.browser()

    _refused(client, _sign_in(client, "github"), NOT_INVITED)


def test_a_team_of_the_same_name_in_another_github_organisation_is_not_the_allowed_team(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_teams="acme-inc/platform")
    oauth_provider.state.github_teams[:] = [{"slug": "platform", "organization": {"login": "evil-inc"}}]
    client = acme.browser()

    _refused(client, _sign_in(client, "github"), NOT_INVITED)


def test_github_admits_a_verified_email_at_an_allowed_domain_under_that_email(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_domains="acme.example")
    oauth_provider.state.github_emails[:] = [
        {"email": "octo@gmail.example", "primary": True, "verified": True},
        {"email": "octo.work@acme.example", "primary": False, "verified": True},
    ]
    client = acme.browser()

    assert _sign_in(client, "github").status_code == 302
    assert _signed_in_as(acme, client) == "octo.work@acme.example"


def test_github_refuses_an_unverified_email_at_an_allowed_domain(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_domains="acme.example")
    oauth_provider.state.github_emails[:] = [
        {"email": "eve@evil.example", "primary": True, "verified": True},
        {"email": "eve@acme.example", "primary": False, "verified": False},
    ]
    client = acme.browser()

    _refused(client, _sign_in(client, "github"), NOT_INVITED)
    with schema_context(acme.schema):
        assert not User.objects.filter(email__in=["eve@acme.example", "eve@evil.example"]).exists()


def test_github_refuses_an_account_with_no_verified_email(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_domains="acme.example")
    oauth_provider.state.github_emails[0]["verified"] = False
    client = acme.browser()

    _refused(client, _sign_in(client, "github"), NO_VERIFIED_EMAIL)


def test_a_lookalike_domain_is_not_the_allowed_domain(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_domains="acme.example")
    oauth_provider.state.github_emails[:] = [{"email": "eve@evilacme.example", "primary": True, "verified": True}]
    client = acme.browser()

    _refused(client, _sign_in(client, "github"), NOT_INVITED)


# --- Google --------------------------------------------------------------------------------------


def test_google_by_default_refuses_a_stranger_with_a_clear_message(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="google")
    client = acme.browser()

    assert "hd=" not in _start(client, "google-oauth2")
    _refused(client, _sign_in(client, "google-oauth2"), NOT_INVITED)
    with schema_context(acme.schema):
        assert not User.objects.filter(email="ada@acme.example").exists()


def test_google_by_default_admits_an_invited_person(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="google")
    invited = _invite(acme, "ada@acme.example")
    client = acme.browser()

    assert _sign_in(client, "google-oauth2").status_code == 302
    assert client.session["_auth_user_id"] == str(invited.pk)


def test_google_admits_anyone_of_an_allowed_workspace_domain(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="google", allowed_domains="acme.example")
    client = acme.browser()

    assert _sign_in(client, "google-oauth2").status_code == 302
    assert _signed_in_as(acme, client) == "ada@acme.example"


def test_google_refuses_an_invited_address_that_google_has_not_verified(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="google", allowed_domains="acme.example")
    _invite(acme, "ada@acme.example")
    oauth_provider.state.google_userinfo["email_verified"] = False
    client = acme.browser()

    _refused(client, _sign_in(client, "google-oauth2"), NO_VERIFIED_EMAIL)


def test_google_refuses_a_consumer_account_whose_address_is_at_the_allowed_domain(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="google", allowed_domains="acme.example")
    del oauth_provider.state.google_userinfo["hd"]
    client = acme.browser()

    _refused(client, _sign_in(client, "google-oauth2"), NOT_INVITED)


# --- Settings ------------------------------------------------------------------------------------


def _admin(org):
    client = org.browser()
    with schema_context(org.schema):
        client.force_login(org.admin, backend="sso.auth.TenantModelBackend")
    return client


def test_an_administrator_sets_the_github_allow_lists_in_settings(acme, oauth_provider):
    client = _admin(acme)

    answer = client.post(
        "/settings/sso/github",
        {
            "github-client_id": "id",
            "github-client_secret": "s",
            "github-allowed_orgs": "Acme-Inc\n",
            "github-allowed_teams": "acme-inc/platform",
            "github-allowed_domains": "@acme.example, acme.test",
        },
    )

    assert answer.status_code == 302
    with schema_context(acme.schema):
        saved = OAuthClient.objects.get(provider="github")
    assert saved.allowed_org_list() == ["acme-inc"] and saved.allowed_team_list() == ["acme-inc/platform"]
    assert saved.allowed_domain_list() == ["acme.example", "acme.test"]
    page = client.get("/settings/sso").content.decode()
    assert "acme-inc/platform" in page and "invited people only" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("allowed_teams", "platform", b"Not a valid GitHub team (organisation/team-slug): platform"),
        ("allowed_orgs", "acme inc", b"Not a valid GitHub organisation: acme inc"),
        ("allowed_domains", "*", b"Not a valid email domain: *"),
    ],
)
def test_a_malformed_allow_list_entry_is_refused(acme, field, value, message):
    client = _admin(acme)

    answer = client.post("/settings/sso/github", {"github-client_id": "id", f"github-{field}": value})

    assert answer.status_code == 400 and message in answer.content
    with schema_context(acme.schema):
        assert not OAuthClient.objects.filter(provider="github").exists()


def test_a_member_who_is_not_an_administrator_cannot_open_github_sign_in(acme):
    from apps.accounts.services import user_create

    with schema_context(acme.schema):
        member = user_create(email="member@acme.example", name="M", password=None, email_confirmed=True)
    client = acme.browser()
    with schema_context(acme.schema):
        client.force_login(member, backend="sso.auth.TenantModelBackend")

    answer = client.post("/settings/sso/github", {"github-client_id": "id", "github-allowed_domains": "gmail.com"})

    assert answer.status_code == 403
    with schema_context(acme.schema):
        assert not OAuthClient.objects.filter(provider="github").exists()


# --- Migration of existing organisations ---------------------------------------------------------


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def all(self):
        return self.rows


class _Row:
    def __init__(self, provider, restrict_to):
        self.provider, self.restrict_to = provider, restrict_to
        self.allowed_orgs = self.allowed_domains = ""

    def save(self, update_fields):
        pass


def test_the_migration_never_opens_an_organisation(monkeypatch):
    import importlib

    migration = importlib.import_module("sso.migrations.0002_oauth_allow_lists")
    rows = [_Row("github", ""), _Row("github", "Acme-Inc, other"), _Row("google", "acme.example")]

    class _Apps:
        def get_model(self, app, name):
            return type("M", (), {"objects": _Rows(rows)})

    migration.restrict_to_allow_lists(_Apps(), None)

    open_to_anyone, orgs, google = rows
    # Before: any GitHub user. After: invited people only.
    assert (open_to_anyone.allowed_orgs, open_to_anyone.allowed_domains) == ("", "")
    assert orgs.allowed_orgs == "acme-inc\nother"
    assert (google.allowed_orgs, google.allowed_domains) == ("", "acme.example")
