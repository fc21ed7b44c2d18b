"""`/user` and `/admin/users…`: people (and, read-only, system accounts), invitations, roles."""

from django.db import transaction
from django.db.models import Q
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.accounts import queries, services
from apps.accounts.api.base import IdentityAPIView, IsPrincipal, not_found
from apps.accounts.hal.accounts import role_ref, token_json, user_json
from apps.accounts.links import email_base_url
from apps.accounts.models import User
from apps.accounts.permissions import Perm
from apps.accounts.services.delegation import system_account_manage_check


def base_url(request) -> str:
    """Invitation links come from configuration, never from the Host header (apps/accounts/links.py)."""
    return email_base_url(request)


class CurrentUserView(IdentityAPIView):
    """`GET /user`: who the credentials belong to."""

    permission_classes = [IsPrincipal]

    def get(self, request):
        user = request.user
        if not isinstance(user, User):
            return Response(
                {
                    "name": user.username,
                    "type": 2,
                    "typeDescription": "Basic auth user",
                    "readOnly": user.read_only,
                    "_embedded": {"roles": [], "teams": []},
                }
            )
        return Response(user_json(request, queries.user_by_uuid(user.uuid)))


class UserTargetMixin:
    def target(self, uuid, *, people_only: bool = False) -> User:
        user = queries.user_by_uuid(uuid, kind=User.Kind.HUMAN if people_only else None)
        if user is None:
            raise not_found("user")
        # Changing a system account through /admin/users needs the system-account permission too.
        if user.is_system and self.request.method not in ("GET", "HEAD"):
            system_account_manage_check(actor=self.request.user, account=user)
        return user


class UserListView(IdentityAPIView):
    required_permissions = {"GET": Perm.USER_READ, "POST": Perm.USER_INVITE}

    def get(self, request):
        params = request.query_params
        kind = {"0": User.Kind.HUMAN, "1": User.Kind.SYSTEM}.get(params.get("userType", ""))
        active = {"true": True, "false": False}.get(params.get("active", "").lower())
        users = queries.user_list(kind=kind, q=params.get("q", ""), active=active)
        items, page, links = self.page(users, keep=("userType", "q", "active"))
        usage = queries.usage()
        return Response(
            {
                "users": [user_json(request, user) for user in items],
                "page": page,
                "seats": {"total": usage.seats, "used": usage.seats_used, "free": usage.seats_free},
                "viewerSeats": {
                    "total": usage.viewer_seats,
                    "used": usage.viewer_seats_used,
                    "free": usage.free(User.SeatType.VIEWER),
                },
                "_links": links,
            }
        )

    def post(self, request):
        """PactFlow's pre-create `{email, name, firstName?, lastName?, externalIdpId?,
        externalIdpUsername?, seatType?}`: the external ids need `user:manage_scim_attributes`."""
        name = self.field("name", default="") or " ".join(
            part for part in (self.field("firstName", default=""), self.field("lastName", default="")) if part
        )
        external_id = self.field("externalIdpId")
        external_username = self.field("externalIdpUsername")
        user = services.user_add(
            actor=request.user,
            email=self.field("email", required=True),
            name=name,
            seat_type=services.seat_type_parse(self.field("seatType")),
        )
        if external_id is not None or external_username is not None:
            services.user_scim_attributes_set(
                actor=request.user, user=user, external_idp_id=external_id, external_idp_username=external_username
            )
        return Response(
            user_json(request, queries.user_by_uuid(user.uuid)),
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"/admin/users/{user.uuid}")},
        )


class InviteUserView(IdentityAPIView):
    """`POST /admin/users/invite-user` `{email, name, seatType?}` (seatType "Editor", the default, or "Viewer")."""

    required_permissions = {"POST": Perm.USER_INVITE}

    def post(self, request):
        user, _ = services.user_invite(
            actor=request.user,
            email=self.field("email", required=True),
            name=self.field("name", default=""),
            base_url=base_url(request),
            seat_type=services.seat_type_parse(self.field("seatType")),
        )
        return Response(user_json(request, queries.user_by_uuid(user.uuid)), status=status.HTTP_201_CREATED)


class InviteUsersView(IdentityAPIView):
    """`POST /admin/users/invite-users` `{users: [{email, name}]}`: all or nothing."""

    required_permissions = {"POST": Perm.USER_INVITE}

    def post(self, request):
        entries = self.field("users", kind=list, required=True)
        invited = []
        with transaction.atomic():
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict) or not isinstance(entry.get("email"), str):
                    raise exceptions.ValidationError({f"users[{index}].email": ["This field is required."]})
                try:
                    user, _ = services.user_invite(
                        actor=request.user,
                        email=entry["email"],
                        name=str(entry.get("name") or ""),
                        base_url=base_url(request),
                        seat_type=services.seat_type_parse(entry.get("seatType")),
                    )
                except services.IdentityError as exc:
                    exc.field = f"users[{index}].{exc.field}"
                    raise
                invited.append(user.uuid)
        return Response(
            {"users": [user_json(request, queries.user_by_uuid(uuid)) for uuid in invited]},
            status=status.HTTP_201_CREATED,
        )


class UserDetailView(UserTargetMixin, IdentityAPIView):
    required_permissions = {
        "GET": Perm.USER_READ,
        "PUT": Perm.USER_MANAGE,
        "PATCH": Perm.USER_MANAGE,
        "DELETE": Perm.USER_MANAGE,
    }

    def get(self, request, uuid):
        return Response(user_json(request, self.target(uuid)))

    def put(self, request, uuid):
        user = self.target(uuid)
        with transaction.atomic():
            services.user_update(
                actor=request.user,
                user=user,
                name=self.field("name"),
                email=None if user.is_system else self.field("email"),
            )
            active = self.field("active", kind=bool)
            if active is False:
                services.user_deactivate(actor=request.user, user=user)
            elif active is True:
                services.user_reactivate(actor=request.user, user=user)
        return Response(user_json(request, queries.user_by_uuid(user.uuid)))

    patch = put

    def delete(self, request, uuid):
        services.user_remove(actor=request.user, user=self.target(uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserRolesView(UserTargetMixin, IdentityAPIView):
    """`PUT /admin/users/{uuid}/roles` `{roles: [roleUuid]}` replaces the user's roles."""

    required_permissions = {"GET": Perm.USER_READ, "PUT": Perm.USER_MANAGE}

    def get(self, request, uuid):
        return Response({"roles": [role_ref(request, role) for role in self.target(uuid).roles.all()]})

    def put(self, request, uuid):
        user = self.target(uuid)
        wanted = [str(value) for value in self.field("roles", kind=list, required=True)]
        roles = queries.roles_by_uuids(wanted)
        if len(roles) != len(set(wanted)):
            raise exceptions.ValidationError({"roles": ["Unknown role."]})
        services.user_roles_set(actor=request.user, user=user, roles=roles)
        return Response({"roles": [role_ref(request, role) for role in user.roles.all()]})


class UserRoleView(UserTargetMixin, IdentityAPIView):
    """`PUT|DELETE /admin/users/{uuid}/roles/{roleUuid}`: add or take away one role."""

    required_permissions = {"PUT": Perm.USER_MANAGE, "DELETE": Perm.USER_MANAGE}

    def _change(self, request, uuid, role_uuid, add: bool):
        user = self.target(uuid)
        role = queries.role_by_uuid(role_uuid)
        if role is None:
            raise not_found("role")
        roles = [r for r in user.roles.all() if r.pk != role.pk] + ([role] if add else [])
        services.user_roles_set(actor=request.user, user=user, roles=roles)
        return Response(user_json(request, queries.user_by_uuid(user.uuid)))

    def put(self, request, uuid, role_uuid):
        return self._change(request, uuid, role_uuid, add=True)

    def delete(self, request, uuid, role_uuid):
        return self._change(request, uuid, role_uuid, add=False)


class UserTokensView(UserTargetMixin, IdentityAPIView):
    """An admin's view of a person's tokens (metadata only)."""

    required_permissions = {"GET": Perm.USER_MANAGE}

    def get(self, request, uuid):
        user = self.target(uuid, people_only=True)
        base = f"/admin/users/{user.uuid}/tokens"
        return Response(
            {"_embedded": {"items": [token_json(request, t, base=base) for t in queries.token_list(user=user)]}}
        )


class UserTokenRegenerateView(UserTargetMixin, IdentityAPIView):
    required_permissions = {"POST": Perm.USER_MANAGE}

    def post(self, request, uuid, token_uuid):
        user = self.target(uuid, people_only=True)
        token = queries.token_for_owner(user=user, uuid=token_uuid)
        if token is None:
            raise not_found("token")
        token, secret = services.token_rotate(actor=request.user, token=token, credential=request.auth)
        return Response(
            token_json(request, token, secret=secret, base=f"/admin/users/{user.uuid}/tokens"),
            status=status.HTTP_201_CREATED,
        )


class InvitationListView(IdentityAPIView):
    required_permissions = {"GET": Perm.USER_MANAGE}

    def get(self, request):
        items, page, links = self.page(queries.invitation_list())
        return Response(
            {
                "invitations": [
                    {
                        "uuid": str(user.uuid),
                        "email": user.email,
                        "name": user.name,
                        "invitedAt": user.invited_at.isoformat() if user.invited_at else None,
                        "_links": {"self": self.link(f"/admin/invitations/{user.uuid}")},
                    }
                    for user in items
                ],
                "page": page,
                "_links": links,
            }
        )


class InvitationDetailView(IdentityAPIView):
    """`DELETE /admin/invitations/{uuid}` withdraws an invitation (and frees its seat)."""

    required_permissions = {"DELETE": Perm.USER_MANAGE}

    def delete(self, request, uuid):
        user = (
            queries.invitation_list().filter(uuid=queries.valid_uuid(uuid)).first()
            if queries.valid_uuid(uuid)
            else None
        )
        if user is None:
            raise not_found("invitation")
        services.user_remove(actor=request.user, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserNamedRoleView(UserRoleView):
    """`PUT|DELETE /admin/users/{uuid}/role/{role}`: PactFlow's shortcut (`role/admin` is the
    Administrator role); `{role}` may also be a built-in role's key (`user`, `ci`, `read_only`...),
    a role's name or its UUID."""

    def _role_uuid(self, role: str):
        found = queries.role_by_uuid(role) if queries.valid_uuid(role) else None
        if found is None:
            key = "administrator" if role.lower() == "admin" else role.lower()
            found = queries.role_list().filter(Q(key=key) | Q(name__iexact=role)).first()
        if found is None:
            raise not_found("role")
        return found.uuid

    def put(self, request, uuid, role):
        return self._change(request, uuid, self._role_uuid(role), add=True)

    def delete(self, request, uuid, role):
        return self._change(request, uuid, self._role_uuid(role), add=False)
