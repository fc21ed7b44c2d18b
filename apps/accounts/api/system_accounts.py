"""`/admin/system-accounts…`: machine identities and their tokens."""

from django.db import transaction
from rest_framework import status
from rest_framework.response import Response

from apps.accounts import queries, services
from apps.accounts.access import system_account_visible, system_accounts_visible
from apps.accounts.api.base import IdentityAPIView, not_found
from apps.accounts.api.tokens import expiry
from apps.accounts.hal.accounts import token_json, user_json
from apps.accounts.models import User
from apps.accounts.permissions import Perm
from apps.accounts.services.delegation import system_account_manage_check

MANAGE = Perm.SYSTEM_ACCOUNT_MANAGE


def system_account(uuid, request=None) -> User:
    """The account; with `request`, only when the caller's `system_account:manage` covers it."""
    account = queries.user_by_uuid(uuid, kind=User.Kind.SYSTEM)
    if account is None:
        raise not_found("system account")
    if request is not None:
        system_account_manage_check(actor=request.user, account=account)
    return account


class SystemAccountListView(IdentityAPIView):
    required_permissions = {"GET": Perm.SYSTEM_ACCOUNT_READ, "POST": MANAGE}

    def get(self, request):
        active = {"true": True, "false": False}.get(request.query_params.get("active", "").lower())
        accounts = system_accounts_visible(request.user, queries.user_list(kind=User.Kind.SYSTEM, active=active))
        items, page, links = self.page(accounts, keep=("active",))
        usage = queries.usage()
        return Response(
            {
                "systemAccounts": [user_json(request, account) for account in items],
                "page": page,
                "limits": {"total": usage.system_accounts, "used": usage.system_accounts_used},
                "_links": links,
            }
        )

    def post(self, request):
        """201 with a Location header, as PactFlow (its clients read the uuid from Location).
        Only `system_account:manage:*` creates one (PactFlow: team scope manages, never creates)."""
        account = services.system_account_create(actor=request.user, name=self.field("name", required=True))
        location = request.build_absolute_uri(f"/admin/system-accounts/{account.uuid}")
        return Response(
            user_json(request, queries.user_by_uuid(account.uuid)),
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class SystemAccountDetailView(IdentityAPIView):
    required_permissions = {"GET": Perm.SYSTEM_ACCOUNT_READ, "PUT": MANAGE, "PATCH": MANAGE, "DELETE": MANAGE}

    def get(self, request, uuid):
        account = system_account(uuid)
        if not system_account_visible(request.user, account):
            raise not_found("system account")
        return Response(user_json(request, account))

    def put(self, request, uuid):
        account = system_account(uuid, request)
        with transaction.atomic():
            services.user_update(actor=request.user, user=account, name=self.field("name"))
            active = self.field("active", kind=bool)
            if active is False:
                services.user_deactivate(actor=request.user, user=account)
            elif active is True:
                services.user_reactivate(actor=request.user, user=account)
        return Response(user_json(request, queries.user_by_uuid(account.uuid)))

    patch = put

    def delete(self, request, uuid):
        services.user_remove(actor=request.user, user=system_account(uuid, request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SystemAccountTokensView(IdentityAPIView):
    required_permissions = {"GET": MANAGE, "POST": MANAGE}

    def get(self, request, uuid):
        account = system_account(uuid, request)
        base = f"/admin/system-accounts/{account.uuid}/tokens"
        return Response(
            {
                "_embedded": {
                    "items": [token_json(request, token, base=base) for token in queries.token_list(user=account)]
                }
            }
        )

    def post(self, request, uuid):
        account = system_account(uuid, request)
        token, secret = services.token_create(
            user=account,
            actor=request.user,
            name=self.field("description", required=True),
            read_only=self.field("readOnly", kind=bool, default=False),
            expires_at=expiry(self),
            credential=request.auth,
        )
        return Response(
            token_json(request, token, secret=secret, base=f"/admin/system-accounts/{uuid}/tokens"),
            status=status.HTTP_201_CREATED,
        )


class SystemAccountTokenView(IdentityAPIView):
    required_permissions = {"DELETE": MANAGE}

    def token(self, uuid, token_uuid):
        token = queries.token_for_owner(user=system_account(uuid, self.request), uuid=token_uuid)
        if token is None:
            raise not_found("token")
        return token

    def delete(self, request, uuid, token_uuid):
        services.token_revoke(actor=request.user, token=self.token(uuid, token_uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SystemAccountTokenRegenerateView(SystemAccountTokenView):
    """`POST /admin/system-accounts/{uuid}/tokens/{tokenUuid}/regenerate`."""

    required_permissions = {"POST": MANAGE}

    def post(self, request, uuid, token_uuid):
        token, secret = services.token_rotate(
            actor=request.user, token=self.token(uuid, token_uuid), credential=request.auth
        )
        return Response(
            token_json(request, token, secret=secret, base=f"/admin/system-accounts/{uuid}/tokens"),
            status=status.HTTP_201_CREATED,
        )
