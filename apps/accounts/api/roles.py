"""`/admin/roles…` and `/admin/permissions`."""

from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.accounts import queries, services
from apps.accounts.api.base import IdentityAPIView, not_found
from apps.accounts.hal.accounts import permission_json, role_json
from apps.accounts.permissions import CATALOGUE, Perm


def permission_scopes(view: IdentityAPIView) -> list[str]:
    """PactFlow sends `permissions: [{scope}]`; plain strings are accepted too."""
    scopes = []
    for entry in view.field("permissions", kind=list, required=True):
        scope = entry.get("scope") if isinstance(entry, dict) else entry
        if not isinstance(scope, str):
            raise exceptions.ValidationError({"permissions": ["Each permission needs a scope."]})
        scopes.append(scope)
    return scopes


class PermissionListView(IdentityAPIView):
    required_permissions = {"GET": Perm.ROLE_READ}

    def get(self, request):
        return Response({"permissions": [permission_json(info.scope) for info in CATALOGUE]})


class RoleListView(IdentityAPIView):
    required_permissions = {"GET": Perm.ROLE_READ, "POST": Perm.ROLE_MANAGE}

    def get(self, request):
        return Response(
            {
                "roles": [role_json(request, role) for role in queries.role_list()],
                "_links": {"self": self.link("/admin/roles"), "pf:reset": self.link("/admin/roles/reset")},
            }
        )

    def post(self, request):
        role = services.role_create(
            actor=request.user,
            name=self.field("name", required=True),
            description=self.field("description", default=""),
            permission_names=permission_scopes(self),
        )
        return Response(
            role_json(request, role),
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"/admin/roles/{role.uuid}")},
        )


class RolesResetView(IdentityAPIView):
    required_permissions = {"POST": Perm.ROLE_MANAGE}

    def post(self, request):
        services.roles_reset(actor=request.user)
        return Response({"roles": [role_json(request, role) for role in queries.role_list()]})


class RoleDetailView(IdentityAPIView):
    required_permissions = {"GET": Perm.ROLE_READ, "PUT": Perm.ROLE_MANAGE, "DELETE": Perm.ROLE_MANAGE}

    def role(self, uuid):
        role = queries.role_by_uuid(uuid)
        if role is None:
            raise not_found("role")
        return role

    def get(self, request, uuid):
        return Response(role_json(request, self.role(uuid)))

    def put(self, request, uuid):
        role = services.role_update(
            actor=request.user,
            role=self.role(uuid),
            name=self.field("name", required=True),
            description=self.field("description", default=""),
            permission_names=permission_scopes(self),
        )
        return Response(role_json(request, role))

    def delete(self, request, uuid):
        services.role_delete(actor=request.user, role=self.role(uuid))
        return Response(status=status.HTTP_204_NO_CONTENT)
