"""`/settings/tokens…`: a principal's own tokens (PactFlow's paths), and named tokens (ours)."""

from datetime import datetime

from django.utils.dateparse import parse_datetime
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.accounts import queries, services
from apps.accounts.api.base import IdentityAPIView, not_found
from apps.accounts.hal.accounts import token_json
from apps.accounts.models import User
from apps.accounts.permissions import Perm


def expiry(view: IdentityAPIView) -> datetime | None:
    raw = view.field("expiresAt")
    if raw is None:
        return None
    value = parse_datetime(raw) if isinstance(raw, str) else None
    if value is None or value.tzinfo is None:
        raise exceptions.ValidationError(
            {"expiresAt": ["Use an ISO 8601 time with a zone, e.g. 2030-01-31T00:00:00Z."]}
        )
    return value


def own_user(request) -> User:
    if not isinstance(request.user, User):  # basic-auth principals have no tokens
        raise exceptions.PermissionDenied("Only users and system accounts have tokens.")
    return request.user


class TokenListView(IdentityAPIView):
    """`GET /settings/tokens` lists; `POST` `{description, readOnly, expiresAt?}` adds a named token."""

    required_permissions = {"GET": Perm.TOKEN_MANAGE, "POST": Perm.TOKEN_MANAGE}

    def get(self, request):
        tokens = queries.token_list(user=own_user(request))
        return Response(
            {
                "_embedded": {"items": [token_json(request, token) for token in tokens]},
                "_links": {"self": self.link("/settings/tokens")},
            }
        )

    def post(self, request):
        token, secret = services.token_create(
            user=own_user(request),
            actor=request.user,
            name=self.field("description", required=True),
            read_only=self.field("readOnly", kind=bool, default=True),
            expires_at=expiry(self),
            credential=request.auth,
        )
        return Response(
            token_json(request, token, secret=secret),
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"/settings/tokens/{token.uuid}")},
        )


class TokenDetailView(IdentityAPIView):
    required_permissions = {"GET": Perm.TOKEN_MANAGE, "DELETE": Perm.TOKEN_MANAGE}

    def token(self, request, uuid):
        token = queries.token_for_owner(user=own_user(request), uuid=uuid)
        if token is None:
            raise not_found("token")
        return token

    def get(self, request, uuid):
        return Response(token_json(request, self.token(request, uuid)))

    def delete(self, request, uuid):
        services.token_revoke(actor=request.user, token=self.token(request, uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRegenerateView(TokenDetailView):
    """`POST /settings/tokens/{uuid}/regenerate` → 201 `{uuid, description, value}`; the old value
    stops working at once."""

    required_permissions = {"POST": Perm.TOKEN_MANAGE}

    def post(self, request, uuid):
        token, secret = services.token_rotate(
            actor=request.user, token=self.token(request, uuid), credential=request.auth
        )
        return Response(token_json(request, token, secret=secret), status=status.HTTP_201_CREATED)
