"""SSO fixtures: organisations on a plan with SAML, a real test IdP, a local OAuth provider."""

import base64
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from django_tenants.utils import schema_context

from sso.models import LoginPolicy, OAuthClient, SamlIdentityProvider
from tests.support.oauth_provider import OAuthProvider
from tests.support.saml_idp import TestIdp


def plan_set(org, plan: str, seats: int | None = None):
    org.tenant.plan = plan
    if seats is not None:
        org.tenant.seats = seats
    org.tenant.save()


def saml_configure(org, idp: TestIdp, **policy):
    with schema_context(org.schema):
        SamlIdentityProvider.objects.update_or_create(
            singleton=1,
            defaults={
                "entity_id": idp.entity_id,
                "sso_url": idp.sso_url,
                "slo_url": idp.slo_url,
                "x509_cert": "".join(line for line in idp.cert_pem.splitlines() if "-----" not in line),
                "attr_name": "name",
                "attr_groups": "groups",
            },
        )
        LoginPolicy.objects.update_or_create(singleton=1, defaults={"saml_enabled": True, **policy})


class SamlSp:
    """What the IdP needs to know about one organisation's SP, and how to post to it."""

    def __init__(self, org):
        self.org = org
        self.entity_id = f"http://{org.host}/sso/saml/metadata"
        self.acs = f"http://{org.host}/sso/saml/acs"


@pytest.fixture
def idp():
    return TestIdp()


@pytest.fixture
def saml_acme(acme, idp):
    plan_set(acme, "business", seats=3)
    # Most tests post unsolicited responses, so these organisations allow IdP-initiated sign-in
    # (off by default: tests/sso/test_saml_idp_initiated.py).
    saml_configure(acme, idp, saml_allow_idp_initiated=True)
    return SamlSp(acme)


@pytest.fixture
def saml_outsider(outsider, idp):
    """globex trusts the very same IdP (same key): only audience/destination tell them apart."""
    plan_set(outsider, "business", seats=3)
    saml_configure(outsider, idp, saml_allow_idp_initiated=True)
    return SamlSp(outsider)


def authn_request_id(location: str) -> str:
    query = parse_qs(urlsplit(location).query)
    xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
    return xml.split(' ID="', 1)[1].split('"', 1)[0]


@pytest.fixture
def oauth_provider(settings):
    provider = OAuthProvider().start()
    settings.SOCIAL_AUTH_GITHUB_AUTHORIZATION_URL = provider.url + "/login/oauth/authorize"
    settings.SOCIAL_AUTH_GITHUB_ACCESS_TOKEN_URL = provider.url + "/login/oauth/access_token"
    settings.SOCIAL_AUTH_GITHUB_API_URL = provider.url + "/api/"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_AUTHORIZATION_URL = provider.url + "/o/oauth2/auth"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_ACCESS_TOKEN_URL = provider.url + "/token"
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_USERINFO_URL = provider.url + "/oauth2/v3/userinfo"
    yield provider
    provider.stop()


def oauth_configure(
    org,
    provider: OAuthProvider,
    *,
    name: str,
    allowed_orgs: str = "",
    allowed_teams: str = "",
    allowed_domains: str = "",
    **policy,
):
    from sso.services import oauth_client_update

    with schema_context(org.schema):
        oauth_client_update(
            actor=org.admin,
            provider=name,
            client_id=provider.state.client_id,
            client_secret=provider.state.client_secret,
            allowed_orgs=allowed_orgs,
            allowed_teams=allowed_teams,
            allowed_domains=allowed_domains,
        )
        LoginPolicy.objects.update_or_create(singleton=1, defaults={f"{name}_enabled": True, **policy})
        return OAuthClient.objects.get(provider=name)
