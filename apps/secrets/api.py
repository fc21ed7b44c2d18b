"""The secrets API (PactFlow's /secrets): values are write-only, never returned or logged."""
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.parsers import json_object
from apps.core.views import BrokerAPIView
from apps.secrets import services
from apps.secrets.models import Secret


def secret_body(request, secret: Secret) -> dict:
    body = {
        "uuid": str(secret.uuid),
        "name": secret.name,
        "description": secret.description,
        "createdAt": hal.timestamp(secret.created_at),
        "_links": {
            "self": hal.link(hal.url(request, "secrets", secret.uuid), title=secret.name),
            "pf:secrets": hal.link(hal.url(request, "secrets"), title="Secrets"),
        },
    }
    if secret.updated_at and abs((secret.updated_at - secret.created_at).total_seconds()) >= 1:
        body["updatedAt"] = hal.timestamp(secret.updated_at)
    return body


def _body(request) -> dict:
    return json_object(request.data)


# Webhook authors need the names of the secrets they may reference; values are never readable.
_PERMS = {"GET": Perm.WEBHOOK_MANAGE, "POST": Perm.SECRET_MANAGE, "PUT": Perm.SECRET_MANAGE,
          "PATCH": Perm.SECRET_MANAGE, "DELETE": Perm.SECRET_MANAGE}


class SecretsView(BrokerAPIView):
    required_permissions = _PERMS

    def get(self, request):
        secrets = Secret.objects.order_by("name")
        return Response({
            "_embedded": {"secrets": [secret_body(request, s) for s in secrets]},
            "_links": {"self": hal.link(hal.url(request, "secrets"), title="Secrets")},
        })

    def post(self, request):
        data = _body(request)
        secret = services.secret_create(name=data.get("name"), value=data.get("value"),
                                        description=data.get("description"), actor=request.user)
        href = hal.url(request, "secrets", secret.uuid)
        return Response(secret_body(request, secret), status=201, headers={"Location": href})


class SecretView(BrokerAPIView):
    required_permissions = _PERMS

    def _secret(self, uuid) -> Secret:
        secret = Secret.objects.filter(uuid=uuid).first()
        if secret is None:
            raise NotFound()
        return secret

    def get(self, request, uuid):
        return Response(secret_body(request, self._secret(uuid)))

    def put(self, request, uuid):
        secret = self._secret(uuid)
        data = _body(request)
        secret = services.secret_update(secret=secret, name=data.get("name"), value=data.get("value"),
                                        description=data.get("description"), actor=request.user)
        return Response(secret_body(request, secret))

    patch = put

    def delete(self, request, uuid):
        services.secret_delete(secret=self._secret(uuid), actor=request.user)
        return Response(status=204)
