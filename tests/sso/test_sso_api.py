"""`/admin/sso…`: the SSO settings over JSON, for administrators only, never showing a secret."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.accounts.services import user_create
from sso.models import LoginPolicy, OAuthClient
from tests.sso.conftest import oauth_configure

pytestmark = pytest.mark.django_db


def _put(client, path, body):
    return client.put(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def configured(acme, oauth_provider):
    oauth_provider.state.client_secret = "gh-secret-for-the-api-test"
    oauth_configure(acme, oauth_provider, name="github", allowed_orgs="acme-inc")
    return acme


def test_an_administrator_reads_the_settings_without_any_secret(configured):
    answer = configured.client().get("/admin/sso")

    assert answer.status_code == 200
    body = answer.json()
    assert body["github"] == {
        "clientId": "client-id",
        "clientSecretSet": True,
        "allowedDomains": [],
        "allowedOrganisations": ["acme-inc"],
        "allowedTeams": [],
    }
    assert body["google"]["clientSecretSet"] is False
    assert body["policy"]["samlAllowIdpInitiated"] is False and body["policy"]["githubEnabled"] is True
    assert b"gh-secret-for-the-api-test" not in answer.content


def test_an_administrator_sets_the_github_allow_lists_and_keeps_the_secret(configured):
    from sso import queries

    answer = _put(
        configured.client(),
        "/admin/sso/github",
        {"allowedOrganisations": [], "allowedTeams": ["acme-inc/platform"], "allowedDomains": ["acme.example"]},
    )

    assert answer.status_code == 200, answer.content
    assert answer.json()["github"]["allowedTeams"] == ["acme-inc/platform"]
    with schema_context(configured.schema):
        saved = OAuthClient.objects.get(provider="github")
        assert saved.allowed_org_list() == [] and saved.allowed_domain_list() == ["acme.example"]
        assert queries.oauth_credentials("github").client_secret == "gh-secret-for-the-api-test"


def test_a_malformed_allow_list_is_refused_and_changes_nothing(configured):
    answer = _put(configured.client(), "/admin/sso/github", {"allowedTeams": ["platform"]})

    assert answer.status_code == 400
    assert answer.json() == {"errors": {"github": ["Not a valid GitHub team (organisation/team-slug): platform"]}}
    with schema_context(configured.schema):
        assert OAuthClient.objects.get(provider="github").allowed_team_list() == []


def test_an_administrator_turns_idp_initiated_sign_in_on(saml_acme):
    with schema_context(saml_acme.org.schema):
        LoginPolicy.objects.update(saml_allow_idp_initiated=False)

    answer = _put(saml_acme.org.client(), "/admin/sso/policy", {"samlAllowIdpInitiated": True})

    assert answer.status_code == 200 and answer.json()["policy"]["samlAllowIdpInitiated"] is True
    with schema_context(saml_acme.org.schema):
        assert LoginPolicy.objects.get().saml_allow_idp_initiated


def test_a_wrongly_typed_policy_field_is_refused(acme):
    answer = _put(acme.client(), "/admin/sso/policy", {"samlAllowIdpInitiated": "yes"})

    assert answer.status_code == 400 and answer.json() == {"errors": {"samlAllowIdpInitiated": ["must be a boolean."]}}


def test_members_and_anonymous_callers_are_refused(configured, outsider):
    with schema_context(configured.schema):
        member = user_create(email="member@acme.example", name="M", password=None, email_confirmed=True)
    browser = configured.browser()
    with schema_context(configured.schema):
        browser.force_login(member, backend="sso.auth.TenantModelBackend")

    assert browser.get("/admin/sso").status_code == 403
    assert _put(browser, "/admin/sso/github", {"allowedDomains": ["gmail.com"]}).status_code == 403
    assert configured.client(token="").get("/admin/sso").status_code == 401
    # globex's administrator token is not valid on acme.
    assert configured.client(token=outsider.token).get("/admin/sso").status_code == 401
    with schema_context(configured.schema):
        assert OAuthClient.objects.get(provider="github").allowed_domain_list() == []
