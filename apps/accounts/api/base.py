"""What every identity API view shares: HAL rendering, error bodies, paging, absolute links."""

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from apps.accounts.services import IdentityError
from apps.core.negotiation import HAL_OR_JSON
from apps.core.pagination import page_request, paginate
from apps.core.parsers import json_object
from apps.core.views import BrokerAPIView


class IsPrincipal(BasePermission):
    """Any signed-in principal (for `GET /user`: everyone may see who they are)."""

    def has_permission(self, request, view) -> bool:
        return request.user is not None and request.user.is_authenticated


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    return {"base": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


class IdentityAPIView(BrokerAPIView):
    """Errors: 400/422 `{"errors": {field: [message]}}`, 401/403/404 `{"error": message}` (the
    broker's shapes from apps.core.errors; validation messages flattened to strings)."""

    produces = HAL_OR_JSON

    def handle_exception(self, exc):
        if isinstance(exc, IdentityError) and exc.status == 403:
            return Response({"error": exc.message}, status=403)
        if isinstance(exc, IdentityError):
            return Response({"errors": {exc.field: [exc.message]}}, status=exc.status)
        # The project's exception handler (apps/core/errors.py) answers in the broker's generic
        # shapes; these resources keep their own field errors and "No such ..." messages.
        if isinstance(exc, exceptions.ValidationError):
            return Response({"errors": _flatten(exc.detail)}, status=exc.status_code)
        if isinstance(exc, exceptions.NotFound):
            return Response({"error": str(exc.detail)}, status=exc.status_code)
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.ValidationError):
            response.data = {"errors": _flatten(exc.detail)}
        return response

    def link(self, path: str) -> dict:
        return {"href": self.request.build_absolute_uri(path)}

    def body(self) -> dict:
        return json_object(self.request.data)

    def field(self, name: str, kind=str, required: bool = False, default=None):
        data = self.body()
        if name not in data or data[name] is None:
            if required:
                raise exceptions.ValidationError({name: ["This field is required."]})
            return default
        value = data[name]
        if kind is list and not isinstance(value, list):
            raise exceptions.ValidationError({name: ["Expected a list."]})
        if kind is bool and not isinstance(value, bool):
            raise exceptions.ValidationError({name: ["Expected true or false."]})
        if kind is str and not isinstance(value, str):
            raise exceptions.ValidationError({name: ["Expected a string."]})
        return value

    def page(self, queryset, *, max_size: int = 500, keep: tuple[str, ...] = ()):
        """One page of a queryset (always paginated; the one pagination of apps.core.pagination),
        the `page` block, and the links: `self` and next/previous keeping the filters in `keep`."""
        items, paging = paginate(
            self.request, queryset, page_request(self.request, always=True, max_size=max_size), keep=keep
        )
        links = {"self": {"href": self.request.build_absolute_uri()}, **paging["links"]}
        return items, paging["page"], links


def not_found(what: str):
    return exceptions.NotFound(f"No such {what}.")
