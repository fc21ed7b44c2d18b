"""`/admin/sso…`: the SSO settings as JSON, for administrators (Settings > SSO is the same over forms).

GET shows the policy and the GitHub/Google settings (never a client secret: only whether one is
set); PUT changes them through the same services as the page, so the same rules and audit apply.
Fields left out of a PUT keep their values; a `clientSecret` left out keeps the stored secret.
"""

from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.core import hal
from apps.core.errors import NotFound, ValidationFailed
from apps.core.negotiation import HAL_OR_JSON
from apps.core.parsers import json_object
from apps.core.views import BrokerAPIView
from apps.secrets.services import sealed_value_exists
from sso import queries, services
from sso.errors import SsoError

_ADMIN = {"GET": Perm.AUTHENTICATION_SETTINGS_MANAGE, "PUT": Perm.AUTHENTICATION_SETTINGS_MANAGE}
_POLICY = {
    "passwordEnabled": "password_enabled",
    "githubEnabled": "github_enabled",
    "googleEnabled": "google_enabled",
    "samlEnabled": "saml_enabled",
    "samlRequired": "saml_required",
    "samlAllowIdpInitiated": "saml_allow_idp_initiated",
    "breakGlassEmail": "break_glass_email",
}
_ALLOW = {"allowedOrganisations": "allowed_orgs", "allowedTeams": "allowed_teams", "allowedDomains": "allowed_domains"}
PROVIDERS = ("github", "google")


def _provider_body(provider: str) -> dict:
    client = queries.oauth_client_get(provider)
    allow = queries.oauth_allow_list(client)
    body = {
        "clientId": client.client_id if client else "",
        "clientSecretSet": sealed_value_exists(purpose=queries.client_secret_purpose(provider)),
        "allowedDomains": sorted(allow.domains),
    }
    if provider == "github":
        body.update(allowedOrganisations=sorted(allow.orgs), allowedTeams=sorted(allow.teams))
    return body


def sso_settings_body(request) -> dict:
    policy = queries.login_policy_get()
    idp = queries.saml_idp_get()
    return {
        "policy": {name: getattr(policy, field) for name, field in _POLICY.items()},
        "modesOffered": sorted(queries.login_choices(policy).modes),
        "github": _provider_body("github"),
        "google": _provider_body("google"),
        "saml": {
            "configured": idp is not None,
            "entityId": idp.entity_id if idp else "",
            "signRequests": bool(idp and idp.sign_requests),
        },
        "_links": {"self": hal.link(hal.url(request, "admin", "sso"), title="SSO settings")},
    }


def _body(request) -> dict:
    return json_object(request.data)


def _typed(data: dict, name: str, kind, current):
    if name not in data:
        return current
    if not isinstance(data[name], kind):
        raise ValidationFailed({name: [f"must be a {'boolean' if kind is bool else 'string or a list of strings'}."]})
    return data[name]


def _lines(data: dict, name: str, current: str) -> str:
    value = data.get(name, current)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, str):
        return value
    raise ValidationFailed({name: ["must be a list of strings."]})


class SsoSettingsView(BrokerAPIView):
    produces = HAL_OR_JSON
    required_permissions = _ADMIN

    def get(self, request):
        return Response(sso_settings_body(request))


class SsoPolicyView(BrokerAPIView):
    produces = HAL_OR_JSON
    required_permissions = _ADMIN

    def put(self, request):
        data, policy = _body(request), queries.login_policy_get()
        values = {
            field: _typed(data, name, str if field == "break_glass_email" else bool, getattr(policy, field))
            for name, field in _POLICY.items()
        }
        try:
            services.login_policy_update(actor=request.user, **values)
        except SsoError as exc:
            raise ValidationFailed({"policy": [str(exc)]}) from None
        return Response(sso_settings_body(request))


class SsoProviderView(BrokerAPIView):
    produces = HAL_OR_JSON
    required_permissions = _ADMIN

    def put(self, request, provider):
        if provider not in PROVIDERS:
            raise NotFound()
        data, client = _body(request), queries.oauth_client_get(provider)
        secret = data.get("clientSecret")
        if secret is not None and not isinstance(secret, str):
            raise ValidationFailed({"clientSecret": ["must be a string."]})
        allow = {field: _lines(data, name, getattr(client, field) if client else "") for name, field in _ALLOW.items()}
        try:
            services.oauth_client_update(
                actor=request.user,
                provider=provider,
                client_secret=secret or None,
                client_id=_typed(data, "clientId", str, client.client_id if client else ""),
                **allow,
            )
        except SsoError as exc:
            raise ValidationFailed({provider: [str(exc)]}) from None
        return Response(sso_settings_body(request))
