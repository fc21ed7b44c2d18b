"""The secrets API (PactFlow's /secrets): values are write-only, never returned or logged."""

from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.accounts.queries import team_by_uuid
from apps.core import hal
from apps.core.errors import NotFound, ValidationFailed
from apps.core.negotiation import HAL_OR_JSON
from apps.core.parsers import json_object
from apps.core.views import BrokerAPIView
from apps.secrets import queries, services
from apps.secrets.access import secret_manage_authorize, secret_readable
from apps.secrets.hal.secrets import secret_body
from apps.secrets.models import Secret


def _body(request) -> dict:
    return json_object(request.data)


def _team(data: dict):
    """The Team a body's `teamUuid` names (None when absent or null); 400 when there is none such."""
    value = data.get("teamUuid")
    if value is None:
        return None
    team = team_by_uuid(value) if isinstance(value, str) else None
    if team is None:
        raise ValidationFailed({"teamUuid": [f"no team with UUID {value}"]})
    return team


# Webhook authors need the names of the secrets they may reference; values are never readable.
_PERMS = {
    "GET": Perm.SECRET_READ,
    "POST": Perm.SECRET_MANAGE,
    "PUT": Perm.SECRET_MANAGE,
    "PATCH": Perm.SECRET_MANAGE,
    "DELETE": Perm.SECRET_MANAGE,
}


class SecretsView(BrokerAPIView):
    produces = HAL_OR_JSON
    required_permissions = _PERMS

    def get(self, request):
        secrets = [secret for secret in queries.secrets_list() if secret_readable(request.user, secret)]
        return Response(
            {
                "_embedded": {"secrets": [secret_body(request, s) for s in secrets]},
                "_links": {"self": hal.link(hal.url(request, "secrets"), title="Secrets")},
            }
        )

    def post(self, request):
        data = _body(request)
        team = _team(data)
        secret_manage_authorize(request.user, team_uuid=team.uuid if team else None)
        secret = services.secret_create(
            name=data.get("name"),
            value=data.get("value"),
            description=data.get("description"),
            actor=request.user,
            team=team,
        )
        href = hal.url(request, "secrets", secret.uuid)
        return Response(secret_body(request, secret), status=201, headers={"Location": href})


class SecretView(BrokerAPIView):
    produces = HAL_OR_JSON
    required_permissions = _PERMS

    def _secret(self, uuid) -> Secret:
        secret = queries.secret_find(uuid)
        if secret is None or not secret_readable(self.request.user, secret):
            raise NotFound()
        return secret

    def get(self, request, uuid):
        return Response(secret_body(request, self._secret(uuid)))

    def put(self, request, uuid):
        secret = self._secret(uuid)
        data = _body(request)
        secret_manage_authorize(request.user, team_uuid=secret.team.uuid if secret.team_id else None)
        if "teamUuid" in data and data["teamUuid"] != (str(secret.team.uuid) if secret.team_id else None):
            raise ValidationFailed({"teamUuid": ["a secret's team cannot be changed"]})
        secret = services.secret_update(
            secret=secret,
            name=data.get("name"),
            value=data.get("value"),
            description=data.get("description"),
            actor=request.user,
        )
        return Response(secret_body(request, secret))

    patch = put

    def delete(self, request, uuid):
        secret = self._secret(uuid)
        secret_manage_authorize(request.user, team_uuid=secret.team.uuid if secret.team_id else None)
        services.secret_delete(secret=secret, actor=request.user)
        return Response(status=204)
