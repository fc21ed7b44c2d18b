"""The SCIM endpoints. Each view parses, calls one service or query, renders (sso/scim/__init__.py).

Authentication is the bearer token of a system account holding the SCIM role and nothing else:
no session (no CSRF surface, no person's browser can provision), no basic auth. The organisation
must be on a plan with SCIM and have SAML sign-in switched on, or every request is a 403 that says
which. Errors, including 401 and 404, are SCIM error bodies, never the broker's.
"""

from django.core.exceptions import ValidationError
from django.db import DataError
from django.db.models import Prefetch
from django.http import QueryDict
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apps.accounts.authentication import BearerTokenAuthentication
from apps.accounts.catalogue import SCIM
from apps.accounts.models import Team, User
from apps.accounts.permissions import BrokerPermission, Perm
from apps.accounts.queries import valid_uuid
from apps.accounts.services import IdentityError, user_remove
from apps.accounts.services.delegation import dangerously_as_directory
from apps.core.errors import BrokerError
from apps.core.parsers import BrokerJSONParser
from apps.core.views import BrokerAPIView
from sso import queries as sso_queries
from sso.scim import filters, patch, resources, schemas, services
from sso.scim.errors import ScimError, invalid_value, not_found

SCIM_MEDIA_TYPE = "application/scim+json"


class ScimRenderer(JSONRenderer):
    media_type = SCIM_MEDIA_TYPE


class ScimParser(BrokerJSONParser):
    media_type = SCIM_MEDIA_TYPE


SCIM_ROLE_ONLY = "SCIM is for a system account holding the SCIM role."


def access_check(request) -> None:
    """After BrokerPermission (a token whose owner holds `user:manage_scim_attributes`; read-only
    tokens only read): the organisation offers SCIM, and the owner is a system account with the
    SCIM role (an administrator holds the permission too, but a person is not a directory)."""
    reason = sso_queries.scim_unavailable_reason()
    if reason is not None:
        raise ScimError(403, reason)
    user = request.user
    if not (getattr(user, "is_system", False) and user.roles.filter(key=SCIM).exists()):
        raise ScimError(403, SCIM_ROLE_ONLY)


class ScimView(BrokerAPIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [BrokerPermission]
    required_permissions = {method: Perm.USER_SCIM_ATTRIBUTES for method in ("GET", "POST", "PUT", "PATCH", "DELETE")}
    renderer_classes = [ScimRenderer]
    parser_classes = [ScimParser, BrokerJSONParser]
    produces = None  # SCIM JSON whatever the Accept header says (below): never a 406

    def perform_content_negotiation(self, request, force=False):
        # Whatever the Accept header says (identity providers send several), SCIM answers SCIM JSON.
        renderer = ScimRenderer()
        return renderer, renderer.media_type

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > schemas.MAX_PAYLOAD:
            raise ScimError(413, f"The request body is larger than {schemas.MAX_PAYLOAD} bytes.")
        super().initial(request, *args, **kwargs)
        access_check(request)
        self.base = request.build_absolute_uri(kwargs["scim_base"]).rstrip("/")

    def handle_exception(self, exc):
        if isinstance(exc, ScimError):
            error = exc
        elif isinstance(exc, IdentityError):
            error = services.identity_error_to_scim(exc)
        elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            error = ScimError(401, "Authenticate with the bearer token of a system account holding the SCIM role.")
        elif isinstance(exc, exceptions.PermissionDenied):
            read_only = "read-only" in str(exc.detail)
            error = ScimError(
                403, "This token is read-only; use the read/write token." if read_only else SCIM_ROLE_ONLY
            )
        elif isinstance(exc, exceptions.ParseError):
            error = ScimError(400, str(exc.detail), "invalidSyntax")
        elif isinstance(exc, exceptions.APIException):
            detail = exc.detail if isinstance(exc.detail, str) else "The request was refused."
            error = ScimError(exc.status_code, str(detail))
        elif isinstance(exc, BrokerError):
            body = exc.body if isinstance(exc.body, dict) else {}
            error = ScimError(exc.status_code, str(body.get("error") or "The request was refused."))
        else:
            raise exc
        response = Response(error.body(), status=error.status)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="scim"'
        return response

    def body(self) -> dict:
        data = self.request.data
        if isinstance(data, QueryDict) or not isinstance(data, dict):
            raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
        return data

    def _int(self, name: str, default: int, minimum: int) -> int:
        raw = self.request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            return max(int(raw), minimum)
        except ValueError:
            raise invalid_value(f"{name} must be a whole number.") from None

    def selected(self, resource: dict) -> dict:
        params = self.request.query_params
        return resources.select(
            resource, attributes=params.get("attributes"), excluded=params.get("excludedAttributes")
        )

    def listed(self, queryset, attributes: dict, render) -> Response:
        """RFC 7644 §3.4.2: filter, then the page from `startIndex` (1-based) of `count` items."""
        start = self._int("startIndex", 1, 1)
        count = min(self._int("count", 100, 0), schemas.MAX_RESULTS)
        text = self.request.query_params.get("filter")
        query = filters.filter_query(text, attributes) if text else None
        try:
            if query is not None:
                queryset = queryset.filter(query).distinct()
            total = queryset.count()
            page = list(queryset.order_by("pk")[start - 1 : start - 1 + count]) if count else []
        except (ValidationError, ValueError, TypeError, DataError):
            raise ScimError(400, "A value in the filter does not fit its attribute.", "invalidFilter") from None
        items = [self.selected(render(item, self.base)) for item in page]
        return Response(resources.list_response(items, total=total, start_index=start))


def _users():
    return filters.users_queryset().prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))


def _groups():
    return filters.groups_queryset().prefetch_related(Prefetch("members", queryset=User.objects.order_by("email")))


def _user(uuid) -> User:
    user = _users().filter(uuid=valid_uuid(uuid)).first() if valid_uuid(uuid) else None
    if user is None:
        raise not_found("User", uuid)
    return user


def _group(uuid) -> Team:
    team = _groups().filter(uuid=valid_uuid(uuid)).first() if valid_uuid(uuid) else None
    if team is None:
        raise not_found("Group", uuid)
    return team


class UsersView(ScimView):
    def get(self, request, scim_base):
        return self.listed(_users(), filters.USER_ATTRIBUTES, resources.user_resource)

    def post(self, request, scim_base):
        user = services.scim_user_create(actor=request.user, changes=patch.user_changes_from_resource(self.body()))
        resource = resources.user_resource(_user(user.uuid), self.base)
        return Response(resource, status=201, headers={"Location": resource["meta"]["location"]})


class UserView(ScimView):
    def get(self, request, scim_base, uuid):
        return Response(self.selected(resources.user_resource(_user(uuid), self.base)))

    def put(self, request, scim_base, uuid):
        user = _user(uuid)
        services.scim_user_update(actor=request.user, user=user, changes=patch.user_changes_from_resource(self.body()))
        return Response(resources.user_resource(_user(uuid), self.base))

    def patch(self, request, scim_base, uuid):
        user = _user(uuid)
        services.scim_user_update(actor=request.user, user=user, changes=patch.user_changes_from_patch(self.body()))
        return Response(resources.user_resource(_user(uuid), self.base))

    def delete(self, request, scim_base, uuid):
        user = _user(uuid)
        with dangerously_as_directory(request.user):
            user_remove(actor=request.user, user=user)
        return Response(status=204)


class GroupsView(ScimView):
    def get(self, request, scim_base):
        return self.listed(_groups(), filters.GROUP_ATTRIBUTES, resources.group_resource)

    def post(self, request, scim_base):
        team = services.scim_group_create(actor=request.user, changes=patch.group_changes_from_resource(self.body()))
        resource = resources.group_resource(_group(team.uuid), self.base)
        return Response(resource, status=201, headers={"Location": resource["meta"]["location"]})


class GroupView(ScimView):
    def get(self, request, scim_base, uuid):
        return Response(self.selected(resources.group_resource(_group(uuid), self.base)))

    def put(self, request, scim_base, uuid):
        team = _group(uuid)
        services.scim_group_update(
            actor=request.user, team=team, changes=patch.group_changes_from_resource(self.body())
        )
        return Response(resources.group_resource(_group(uuid), self.base))

    def patch(self, request, scim_base, uuid):
        team = _group(uuid)
        services.scim_group_update(actor=request.user, team=team, changes=patch.group_changes_from_patch(self.body()))
        return Response(self.selected(resources.group_resource(_group(uuid), self.base)))

    def delete(self, request, scim_base, uuid):
        services.scim_group_delete(actor=request.user, team=_group(uuid))
        return Response(status=204)


class UnknownView(ScimView):
    """Any other path under the SCIM prefix: SCIM's 404 (after authentication), not the broker's."""

    def get(self, request, scim_base, rest):
        raise ScimError(404, f"No SCIM endpoint {request.path[:200]}.")

    post = put = patch = delete = get


class ServiceProviderConfigView(ScimView):
    def get(self, request, scim_base):
        docs = request.build_absolute_uri("/docs/scim")
        return Response(schemas.service_provider_config(self.base, docs))


def _listed_or_one(items: list[dict], key: str, ident: str | None) -> Response:
    if ident is None:
        return Response(resources.list_response(items, total=len(items), start_index=1))
    for item in items:
        if item[key] == ident:
            return Response(item)
    raise not_found(key == "id" and "resource", ident)


class SchemasView(ScimView):
    def get(self, request, scim_base, ident=None):
        return _listed_or_one(schemas.schemas(self.base), "id", ident)


class ResourceTypesView(ScimView):
    def get(self, request, scim_base, ident=None):
        return _listed_or_one(schemas.resource_types(self.base), "id", ident)
