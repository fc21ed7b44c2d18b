"""The base of every Pact Broker API view.

- always inside a tenant (the public site has no broker API);
- bearer-token (or session) authentication and the role check of `BrokerPermission`, both from
  `REST_FRAMEWORK` in config/settings.py (the accounts app defines them; core does not import it:
  dependencies run one way, docs/architecture.md);
- names in the URL path bounded in length (`apps.core.names`);
- the media types it produces (`produces`): an Accept it cannot satisfy is a 406, as the broker;
- unsafe methods run in one transaction, rolled back on any error response, so a failed request
  changes nothing;
- the broker's response headers.
"""

from django.db import connection, transaction
from django.http import HttpResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core import hal
from apps.core.errors import NotFound
from apps.core.names import path_names_check
from apps.core.negotiation import HAL_JSON, LenientContentNegotiation, not_acceptable
from apps.core.parsers import BrokerJSONParser, MergePatchJSONParser
from apps.core.renderers import HalJSONRenderer, PlainJSONRenderer

BROKER_VERSION = "2.120.0"  # the open-source broker version whose API we match
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class BrokerAPIView(APIView):
    renderer_classes = [HalJSONRenderer, PlainJSONRenderer]
    parser_classes = [BrokerJSONParser, MergePatchJSONParser]
    content_negotiation_class = LenientContentNegotiation
    # The media types the resource produces (Webmachine's `content_types_provided`): an Accept header
    # that admits none of them is answered 406 with no body (`finalize_response`). Most of the
    # broker's resources produce HAL only, so `application/json` on `/` is a 406 there too.
    produces: tuple[str, ...] | None = (HAL_JSON,)  # None: the view answers any Accept itself
    required_permissions: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        if connection.schema_name == "public":
            raise NotFound()
        hal.request_base_url.set(hal.base_url(request))
        super().initial(request, *args, **kwargs)
        path_names_check(kwargs)

    def check_permissions(self, request):
        # The broker answers a method the resource does not support with 405 (and `Allow`) before
        # any permission check: a client must not read 403 as "your token may not".
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        super().check_permissions(request)

    def options(self, request, *args, **kwargs):
        return Response(status=200)  # the broker's OPTIONS answer has no body

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if self.produces is not None and not_acceptable(
            request.method, request.headers.get("Accept"), response.status_code, self.produces
        ):
            # A status >= 400, so `dispatch` rolls back whatever the handler wrote.
            response = HttpResponse(status=406)
            del response["Content-Type"]
        elif response.status_code == 415 and self.produces is not None:
            # The broker's 415 (Webmachine's known_content_type) has no body but the HAL content type
            # (a view that negotiates for itself, SCIM, keeps its own error).
            response = HttpResponse(status=415, content_type="application/hal+json;charset=utf-8")
        response = super().finalize_response(request, response, *args, **kwargs)
        # The broker sends `Allow` only with a 405, without HEAD, and a 405 has no body.
        if response.status_code == 405:
            response.headers["Allow"] = ", ".join(m for m in self.allowed_methods if m != "HEAD")
            if isinstance(response, Response):
                response.data = None
        else:
            response.headers.pop("Allow", None)
        # The broker writes error bodies as HAL JSON whatever type the resource serves (text, SVG).
        renderer = getattr(response, "accepted_renderer", None)
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and isinstance(response.data, dict)
            and renderer is not None
            and "json" not in renderer.media_type
        ):
            renderer = response.accepted_renderer = HalJSONRenderer()
            response.accepted_media_type = renderer.media_type
        # `application/hal+json;charset=utf-8`, byte for byte as the broker writes it (DRF puts a space)
        if (
            isinstance(response, Response)
            and response.content_type is None
            and renderer is not None
            and renderer.charset
        ):
            response.content_type = f"{renderer.media_type};charset={renderer.charset}"
        response.headers.setdefault("Cache-Control", "no-cache")
        response.headers["Vary"] = "Accept"
        response.headers["X-Pact-Broker-Version"] = BROKER_VERSION
        return response


def not_found(request, exception=None):
    """`handler404` of an organisation's host: an unknown route answers the broker's generic JSON 404
    (`application/problem+json` when asked for); browsers keep Django's HTML page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    from apps.core.errors import GENERIC_NOT_FOUND_CONTENT_TYPE, NOT_FOUND_MESSAGE
    from apps.core.negotiation import wants_ui

    if wants_ui(request):
        return page_not_found(request, exception)
    if "application/problem+json" in request.headers.get("Accept", "").lower():
        body = {"detail": NOT_FOUND_MESSAGE, "status": 404, "title": "404 Not Found", "type": "/problem/not-found"}
        content_type = "application/problem+json;charset=utf-8"
    else:
        body, content_type = {"error": NOT_FOUND_MESSAGE}, GENERIC_NOT_FOUND_CONTENT_TYPE
    response = JsonResponse(body, status=404, content_type=content_type)
    response.headers["Vary"] = "Accept"
    response.headers["X-Pact-Broker-Version"] = BROKER_VERSION
    return response
