"""Errors in the Pact Broker's shapes.

- validation: 400 `{"errors": {"field": ["message"]}}`
- not found and other single problems: `{"error": "message"}` (413 for a body over the size limit)
- anything unexpected: 500 `{"error": {"message": "...", "reference": "..."}}`
"""

import logging
import re
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = "The requested document was not found on this server."
# The broker's generic 404 is plain JSON whatever was asked for; named 404s are HAL.
GENERIC_NOT_FOUND_CONTENT_TYPE = "application/json;charset=utf-8"


class BrokerError(Exception):
    """An error with a status and a body in the broker's shape, raised from services or views."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, body, status_code: int | None = None, content_type: str | None = None):
        super().__init__(str(body))
        self.body = body
        self.content_type = content_type
        if status_code is not None:
            self.status_code = status_code


class ValidationFailed(BrokerError):
    """400 with `{"errors": {field: [messages]}}`; `errors` may also be a list (matrix)."""

    def __init__(self, errors, status_code: int = status.HTTP_400_BAD_REQUEST):
        super().__init__({"errors": errors}, status_code)


class BodyParseError(BrokerError):
    """400 `{"error": "<the parser's message>"}`: a body that is not JSON (as problem+json, the broker
    calls it a server error, status 500 in the body, 400 on the wire)."""

    def __init__(self, message: str):
        super().__init__({"error": message}, status.HTTP_400_BAD_REQUEST)


class NotFound(BrokerError):
    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, message: str = NOT_FOUND_MESSAGE):
        super().__init__({"error": message})


class Forbidden(BrokerError):
    """403 `{"error": message}`: the caller's roles do not cover this resource (team scopes). A
    BrokerError rather than DRF's PermissionDenied so pages catch it like any service error."""

    status_code = status.HTTP_403_FORBIDDEN

    def __init__(self, message: str):
        super().__init__({"error": message})


class Conflict(BrokerError):
    status_code = status.HTTP_409_CONFLICT


def too_large_message(length: int | None = None) -> str:
    size = f" ({length} bytes)" if length is not None else ""
    return f"Request body too large{size}: the maximum is {settings.REQUEST_BODY_LIMIT} bytes"


PROBLEM_JSON = "application/problem+json;charset=utf-8"
_AT_INDEX = re.compile(r"(.*) \(at index (\d+)\)", re.DOTALL)


def _wants_problem(request) -> bool:
    # the broker's test: the Accept header merely contains the type
    return request is not None and "application/problem+json" in request.headers.get("Accept", "")


def _problem_type(base: str, message: str) -> str:
    if "missing" in message:
        return f"{base}/problems/missing-body-property"
    if "format" in message:
        return f"{base}/problems/invalid-body-property-format"
    return f"{base}/problems/invalid-body-property-value"


def _problem_errors(errors, path: str, base: str, out: list) -> list:
    """The broker's problem entries for `{"errors": {...}}`: one per message, with a JSON pointer
    built from the field path (`consumer.name` is `/consumer/name`)."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            _problem_errors(value, f"{path}/{key}" if key != "" else path, base, out)
    elif isinstance(errors, list):
        for value in errors:
            _problem_errors(value, path, base, out)
    elif isinstance(errors, str):
        indexed = _AT_INDEX.fullmatch(errors)  # the broker flattens `selectors[0]` into the message
        if indexed:
            errors, path = indexed.group(1), f"{path}/{indexed.group(2)}"
        entry = {"type": _problem_type(base, errors), "title": "Invalid body parameter", "detail": errors}
        if path:
            entry["pointer"] = path.replace(".", "/")
        out.append(entry)
    return out


def problem_response(request, response: Response, exc) -> Response:
    """The broker's `application/problem+json` bodies for a client that asks for them: validation
    errors as a list of pointed problems; a body it cannot parse as its (quirky) "server error" detail,
    still with status 400."""
    from apps.core.hal import base_url

    base = base_url(request)
    data = response.data
    if isinstance(exc, exceptions.ParseError | BodyParseError):
        body = {
            "title": "Server error",
            "type": f"{base}/problem/server-error",
            "detail": str(exc.detail) if isinstance(exc, exceptions.ParseError) else exc.body["error"],
            "status": 500,
        }
    elif response.status_code == 400 and isinstance(data, dict) and isinstance(data.get("errors"), dict):
        body = {
            "title": "Validation errors",
            "type": f"{base}/problems/validation-error",
            "status": 400,
            "instance": "/",
            "errors": _problem_errors(data["errors"], "", base, []),
        }
    else:
        return response
    problem = Response(body, status=response.status_code)
    problem.content_type = PROBLEM_JSON
    return problem


def exception_handler(exc, context):
    response = _exception_response(exc)
    request = context.get("request")
    if _wants_problem(request):
        return problem_response(request, response, exc)
    return response


def _exception_response(exc):
    if isinstance(exc, RequestDataTooBig):  # Django's own check of request.body (same limit)
        return Response({"error": too_large_message()}, status=413)
    if isinstance(exc, DataError) and "NUL (0x00)" in str(exc):
        # A name in a body with a NUL character: PostgreSQL text cannot hold it (psycopg refuses it
        # before sending, so the transaction is intact and is rolled back with the 400).
        return Response({"error": "Text cannot contain NUL (\\u0000) characters"}, status=400)
    if isinstance(exc, BrokerError):
        response = Response(exc.body, status=exc.status_code)
        if exc.content_type:
            response.content_type = exc.content_type
        elif exc.body == {"error": NOT_FOUND_MESSAGE}:
            response.content_type = GENERIC_NOT_FOUND_CONTENT_TYPE
        return response
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) != str(exceptions.NotFound.default_detail):
        return Response({"error": str(exc.detail)}, status=404)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response({"error": NOT_FOUND_MESSAGE}, status=404, content_type=GENERIC_NOT_FOUND_CONTENT_TYPE)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"": exc.detail}
        return Response({"errors": detail}, status=400)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return Response({"error": str(exc.detail)}, status=exc.status_code, headers=headers)
    reference = uuid.uuid4().hex[:10]
    logger.exception("unhandled error, reference %s", reference)
    return Response(
        {
            "error": {
                "message": f"An error has occurred. The details have been logged with the reference {reference}",
                "reference": reference,
            }
        },
        status=500,
    )
