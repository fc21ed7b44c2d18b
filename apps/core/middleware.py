"""Refuse a request body over `REQUEST_BODY_LIMIT` before any of it is read, and a NUL character in
the URL (PostgreSQL cannot hold one in text, so every lookup by such a name would fail with a 500).

Runs for every request (API, UI forms, public site): a declared `Content-Length` over the limit is
answered 413 at once, in the broker's error shape (`{"error": "..."}`), or as a short page for a
browser. A body longer than its declared length is never read (Django limits the stream to the
declared length); a body sent without a length is bounded where it is read
(`apps.core.parsers.read_limited`, and Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`, which equals the limit).
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape

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
