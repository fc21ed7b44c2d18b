"""SCIM fixtures: Enterprise organisations with SAML on, each with a SCIM system account."""

import json
from dataclasses import dataclass

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.catalogue import SCIM
from apps.accounts.models import User
from tests.sso.conftest import plan_set, saml_configure

SCIM_JSON = "application/scim+json"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimClient:
    """An identity provider talking to one organisation: its token, SCIM JSON both ways."""

    def __init__(self, host: str, token: str | None, prefix: str = "/scim/v2"):
        headers = {"HTTP_HOST": host, "HTTP_ACCEPT": SCIM_JSON}
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        self.client = Client(**headers)
        self.prefix = prefix

    def _url(self, path: str) -> str:
        return path if path.startswith("/scim") else self.prefix + path

    def get(self, path: str, **params):
        return self.client.get(self._url(path), params)

    def _send(self, method: str, path: str, body, content_type: str = SCIM_JSON):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(self._url(path), data, content_type=content_type)

    def post(self, path, body, **kw):
        return self._send("post", path, body, **kw)

    def put(self, path, body, **kw):
        return self._send("put", path, body, **kw)

    def patch(self, path, body, **kw):
        return self._send("patch", path, body, **kw)

    def delete(self, path):
        return self.client.delete(self._url(path))


@dataclass
class ScimOrg:
    org: object
    account: User
    token: str
    read_token: str

    @property
    def schema(self) -> str:
        return self.org.schema

    def scim(self, token: str | None = "", prefix: str = "/scim/v2") -> ScimClient:
        return ScimClient(self.org.host, self.token if token == "" else token, prefix)


def scim_account_create(org, *, name: str = "Okta SCIM", role: str = SCIM):
    with schema_context(org.schema):
        account = services.system_account_create(actor=None, name=name, roles=[services.builtin_role(role)])
        _, rw = services.token_create(user=account, name="scim", read_only=False)
        _, ro = services.token_create(user=account, name="scim read", read_only=True)
    return account, rw, ro


def scim_org_make(org, idp, *, plan: str = "enterprise", seats: int = 20, saml: bool = True, **policy) -> ScimOrg:
    plan_set(org, plan, seats=seats)
    if saml:
        saml_configure(org, idp, **policy)
    account, rw, ro = scim_account_create(org)
    return ScimOrg(org=org, account=account, token=rw, read_token=ro)


@pytest.fixture
def scim_acme(acme, idp) -> ScimOrg:
    return scim_org_make(acme, idp)


@pytest.fixture
def scim_globex(outsider, idp) -> ScimOrg:
    return scim_org_make(outsider, idp)


def okta_user(user_name: str, *, given: str = "Test", family: str = "User", external_id: str = "00u1") -> dict:
    """The body of Okta's "SCIM 2.0 Spec Test" create (password and locale included, as Okta sends)."""
    return {
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": f"{given} {family}",
        "locale": "en-US",
        "externalId": external_id,
        "groups": [],
        "password": "1mz050nq",
        "active": True,
    }


def azure_user(user_name: str, *, email: str | None = None, external_id: str = "a-1") -> dict:
    """The body Azure AD's provisioning sends on create (its default attribute mapping)."""
    return {
        "schemas": [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": external_id,
        "userName": user_name,
        "active": True,
        "addresses": [{"primary": True, "type": "work", "country": "NL", "postalCode": "1011"}],
        "displayName": "Alex Wu",
        "emails": [{"primary": True, "type": "work", "value": email or user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Alex Wu", "familyName": "Wu", "givenName": "Alex"},
        "phoneNumbers": [{"primary": True, "type": "work", "value": "+31 20 123 4567"}],
        "roles": [],
        "title": "Engineer",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Platform", "employeeNumber": "7"},
    }


def patch_body(*operations) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def error_of(response) -> dict:
    """The SCIM error body, checked for shape."""
    assert response["Content-Type"].startswith(SCIM_JSON), response["Content-Type"]
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(response.status_code), body
    return body
