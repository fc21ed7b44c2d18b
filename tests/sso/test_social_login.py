"""GitHub and Google sign-in through social-auth, against a local provider speaking their protocols."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django_tenants.utils import schema_context

from apps.accounts.models import User
from sso.models import OAuthClient
from tests.sso.conftest import oauth_configure, plan_set

pytestmark = pytest.mark.django_db


def _start(client, backend: str) -> str:
    """Press the sign-in button; return the provider's authorize URL."""
    begin = client.post(f"/sso/login/{backend}/", {"next": "/settings/sso"})
    assert begin.status_code == 302, begin.content[:300]
    return begin["Location"]


def _provider_redirect(authorize_url: str) -> str:
    """What the provider's authorize endpoint sends the browser back to (path and query on our host)."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    return location.split("://", 1)[1].split("/", 1)[1]


def _sign_in(client, backend: str):
    return client.get("/" + _provider_redirect(_start(client, backend)))


@pytest.fixture
def github_acme(acme, oauth_provider):
    """GitHub sign-in open to the members of the GitHub organisation acme-inc (octo is one)."""
    oauth_configure(acme, oauth_provider, name="github", allowed_orgs="acme-inc")
    return acme


@pytest.fixture
def google_acme(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="google", allowed_domains="acme.example")
    return acme


def test_github_sign_in_provisions_a_person_with_their_verified_email(github_acme, oauth_provider):
    client = github_acme.browser()

    authorize = _start(client, "github")
    assert authorize.startswith(oauth_provider.url + "/login/oauth/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["state"] and query["redirect_uri"] == ["http://acme.localhost/sso/complete/github/"]
    done = client.get("/" + _provider_redirect(authorize))

    assert done.status_code == 302 and done["Location"] == "/settings/sso"
    with schema_context(github_acme.schema):
        user = User.objects.get(email="octo@acme.example")
        assert client.session["_auth_user_id"] == str(user.pk)
        assert user.social_auth.get().uid == "4242"
        # Provider tokens are not kept.
        assert "access_token" not in user.social_auth.get().extra_data


def test_a_second_github_sign_in_finds_the_same_person_by_provider_id(github_acme, oauth_provider):
    _sign_in(github_acme.browser(), "github")
    oauth_provider.state.github_emails[0]["email"] = "renamed@acme.example"
    client = github_acme.browser()

    _sign_in(client, "github")

    with schema_context(github_acme.schema):
        assert User.objects.filter(email="octo@acme.example").count() == 1
        assert client.session["_auth_user_id"] == str(User.objects.get(email="octo@acme.example").pk)


def test_github_sign_in_links_an_existing_member_by_verified_email(github_acme, oauth_provider):
    from apps.accounts.services import user_create

    with schema_context(github_acme.schema):
        member = user_create(email="octo@acme.example", name="Octo", password="x-long-password-1", email_confirmed=True)
    client = github_acme.browser()

    _sign_in(client, "github")

    assert client.session["_auth_user_id"] == str(member.pk)


def test_github_sign_in_never_links_an_administrator_by_email(github_acme, oauth_provider):
    oauth_provider.state.github_emails[0]["email"] = "Admin@acme.example"
    client = github_acme.browser()

    answer = _sign_in(client, "github")

    assert answer.status_code == 403 and b"belongs to an administrator" in answer.content
    assert "_auth_user_id" not in client.session


def test_github_unverified_emails_are_not_trusted(github_acme, oauth_provider):
    oauth_provider.state.github_emails[0]["verified"] = False
    client = github_acme.browser()

    answer = _sign_in(client, "github")

    assert answer.status_code == 403 and b"no verified email" in answer.content
    assert "_auth_user_id" not in client.session


def test_github_sign_in_restricted_to_organisations_refuses_outsiders(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_orgs="umbrella-corp")
    client = acme.browser()

    assert "read:org" in parse_qs(urlsplit(_start(client, "github")).query)["scope"][0]
    answer = _sign_in(client, "github")

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session


def test_github_sign_in_restricted_to_organisations_admits_members(acme, oauth_provider):
    oauth_configure(acme, oauth_provider, name="github", allowed_orgs="ACME-inc")
    client = acme.browser()

    assert _sign_in(client, "github").status_code == 302
    assert "_auth_user_id" in client.session


def test_a_mismatched_state_is_refused(github_acme, oauth_provider):
    client = github_acme.browser()
    back = _provider_redirect(_start(client, "github"))
    path, query = back.split("?", 1)
    tampered = "&".join("state=forged" if part.startswith("state=") else part for part in query.split("&"))

    answer = client.get(f"/{path}?{tampered}")

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session
    # The code was never exchanged.
    assert oauth_provider.state.token_requests == []


def test_a_callback_without_the_initiating_session_is_refused(github_acme, oauth_provider):
    back = _provider_redirect(_start(github_acme.browser(), "github"))
    stranger = github_acme.browser()

    answer = stranger.get("/" + back)

    assert answer.status_code == 403
    assert "_auth_user_id" not in stranger.session


def test_a_github_callback_begun_on_acme_is_refused_on_globex(github_acme, outsider, oauth_provider):
    oauth_configure(outsider, oauth_provider, name="github", allowed_orgs="acme-inc")
    client = github_acme.browser()
    back = _provider_redirect(_start(client, "github"))

    answer = client.get("/" + back, HTTP_HOST=outsider.host)

    assert answer.status_code == 403
    with schema_context(outsider.schema):
        assert not User.objects.filter(email="octo@acme.example").exists()


def test_github_is_not_offered_when_the_organisation_has_not_enabled_it(acme, oauth_provider):
    assert acme.browser().post("/sso/login/github/").status_code == 404


def test_the_client_secret_is_stored_sealed_under_the_organisations_data_key(github_acme, oauth_provider):
    from apps.secrets.models import SealedValue

    with schema_context(github_acme.schema):
        sealed = SealedValue.objects.get(purpose="sso.github.client_secret")
    assert oauth_provider.state.client_secret.encode() not in bytes(sealed.ciphertext)
    assert not hasattr(OAuthClient, "client_secret_encrypted")


def test_google_sign_in_admits_a_verified_member_of_the_allowed_domain(google_acme, oauth_provider):
    client = google_acme.browser()

    authorize = _start(client, "google-oauth2")
    assert authorize.startswith(oauth_provider.url + "/o/oauth2/auth?") and "hd=acme.example" in authorize
    done = client.get("/" + _provider_redirect(authorize))

    assert done.status_code == 302
    with schema_context(google_acme.schema):
        assert client.session["_auth_user_id"] == str(User.objects.get(email="ada@acme.example").pk)


def test_google_sign_in_refuses_another_workspace_domain(google_acme, oauth_provider):
    oauth_provider.state.google_userinfo.update(email="eve@evil.example", hd="evil.example")
    client = google_acme.browser()
    assert _sign_in(client, "google-oauth2").status_code == 403
    assert "_auth_user_id" not in client.session


def test_google_sign_in_refuses_a_consumer_account_with_a_matching_address(google_acme, oauth_provider):
    del oauth_provider.state.google_userinfo["hd"]
    client = google_acme.browser()
    assert _sign_in(client, "google-oauth2").status_code == 403
    assert "_auth_user_id" not in client.session


def test_google_sign_in_refuses_an_unverified_email(google_acme, oauth_provider):
    oauth_provider.state.google_userinfo["email_verified"] = False
    client = google_acme.browser()
    assert _sign_in(client, "google-oauth2").status_code == 403
    assert "_auth_user_id" not in client.session


def test_social_sign_in_within_the_seat_limit_only(github_acme, oauth_provider):
    plan_set(github_acme, "developer", seats=1)
    client = github_acme.browser()

    answer = _sign_in(client, "github")

    assert answer.status_code == 403 and b"No free seat" in answer.content
