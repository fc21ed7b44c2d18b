"""Refuse a request body over `REQUEST_BODY_LIMIT` before any of it is read, and a NUL character in
the URL (PostgreSQL cannot hold one in text, so every lookup by such a name would fail with a 500).

Runs for every request (API, UI forms, public site): a declared `Content-Length` over the limit is
answered 413 at once, in the broker's error shape (`{"error": "..."}`), or as a short page for a
browser. A body longer than its declared length is never read (Django limits the stream to the
declared length); a body sent without a length is bounded where it is read
(`apps.core.parsers.read_limited`, and Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`, which equals the limit).
"""

import re

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django_tenants.utils import get_public_schema_name

from apps.core.errors import too_large_message
from apps.core.negotiation import wants_ui


def body_too_large_response(request, length: int | None = None):
    message = too_large_message(length)
    if wants_ui(request):
        return HttpResponse(
            f"<!doctype html><title>Request too large</title><h1>Request too large</h1><p>{escape(message)}.</p>",
            status=413,
            content_type="text/html; charset=utf-8",
        )
    return JsonResponse({"error": message}, status=413)


def _has_nul(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in request.path or "%00" in query or "\x00" in query


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(raw) if raw.strip() else 0
        except ValueError:
            return JsonResponse({"error": "Invalid Content-Length header"}, status=400)
        if length > settings.REQUEST_BODY_LIMIT:
            return body_too_large_response(request, length)
        if _has_nul(request):
            return JsonResponse({"error": "The URL cannot contain NUL (%00) characters"}, status=400)
        return self.get_response(request)


# The broker's file extensions (Rack::PactBroker::ConvertFileExtensionToAcceptHeader): a path ending in
# one is served as the path without it, with the Accept header the extension stands for.
FILE_EXTENSIONS = {
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".json": "application/hal+json",
    ".yaml": "application/yaml",
}
_EXTENSION = re.compile(r"\.\w+$")
_PATH_CHARACTERS = {"\n": "a new line", "\t": "a tab"}


def _unprocessable_path(request):
    """The broker's answer to a new line or a tab in the (decoded) path: 422, problem+json."""
    for character, name in _PATH_CHARACTERS.items():
        if character in request.path:
            body = {
                "title": "Unprocessable",
                "type": "/problem/invalid-request-parameter-value",
                "detail": f"URL path cannot contain {name} character.",
                "status": 422,
            }
            return JsonResponse(body, status=422, content_type="application/problem+json")
    if "//" in request.path:
        # The broker refuses an empty path segment (`//pacticipants`) before routing.
        body = {
            "title": "Not Found",
            "type": "/problem/not-found",
            "detail": "Empty path component found",
            "status": 404,
        }
        return JsonResponse(body, status=404, content_type="application/problem+json")
    return None


class BrokerPathMiddleware:
    """On an organisation's host (after tenant routing), the broker's path rules: a new line or a tab
    in the path is a 422, an empty path segment a 404; `/groups/Foo.csv` is `/groups/Foo` with `Accept: text/csv`,
    `/pacticipants.json` is `/pacticipants` as HAL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if connection.schema_name == get_public_schema_name() or request.path_info.startswith("/static/"):
            return self.get_response(request)
        refused = _unprocessable_path(request)
        if refused is not None:
            return refused
        match = _EXTENSION.search(request.path_info)
        accept = FILE_EXTENSIONS.get(match.group(0)) if match else None
        if accept:
            request.path_info = request.path_info[: match.start()]
            request.path = request.path[: len(request.path) - len(match.group(0))]
            request.META["PATH_INFO"] = request.path_info
            request.META["HTTP_ACCEPT"] = accept
        return self.get_response(request)
