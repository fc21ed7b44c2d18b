"""What every identity API view shares: HAL rendering, error bodies, paging, absolute links."""

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from apps.accounts.services import IdentityError
from apps.core.parsers import json_object
from apps.core.views import BrokerAPIView


class IsPrincipal(BasePermission):
    """Any signed-in principal (for `GET /user`: everyone may see who they are)."""

    def has_permission(self, request, view) -> bool:
        return request.user is not None and request.user.is_authenticated


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {"base": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


class IdentityAPIView(BrokerAPIView):
    """Errors: 400/422 `{"errors": {field: [message]}}`, 401/403/404 `{"error": message}` (the
    broker's shapes from apps.core.errors; validation messages flattened to strings)."""

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

    def page(self, queryset, *, page_param="page", size_param="size", default_size=100, max_size=500):
        """One page of a queryset, and the paging facts with a `next` link."""
        try:
            number = max(int(self.request.query_params.get(page_param, 1)), 1)
            size = min(max(int(self.request.query_params.get(size_param, default_size)), 1), max_size)
        except ValueError:
            raise exceptions.ValidationError({page_param: ["Page and size must be whole numbers."]})
        total = queryset.count()
        # A page far past the end is empty (slicing with it would overflow PostgreSQL's OFFSET).
        items = list(queryset[(number - 1) * size : number * size]) if (number - 1) * size < total else []
        meta = {
            "number": number,
            "size": size,
            "totalElements": total,
            "totalPages": (total + size - 1) // size,
        }
        links = {"self": {"href": self.request.build_absolute_uri()}}
        if number * size < total:
            query = self.request.query_params.copy()
            query[page_param] = str(number + 1)
            links["next"] = {
                "href": self.request.build_absolute_uri(f"{self.request.path}?{query.urlencode()}")
            }
        return items, meta, links


def not_found(what: str):
    return exceptions.NotFound(f"No such {what}.")
