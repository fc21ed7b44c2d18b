"""Read-only organisations: after the grace period of an overdue payment, writes are refused.

Applies to every request on an organisation's host (API and UI alike). Safe methods always pass,
as do the few POSTs that only read (pacts-for-verification) and the ones needed to fix the
problem (signing in and out, the subscription pages). Only unsafe requests cost a query.
"""

import re

from django.http import JsonResponse
from django.shortcuts import render

from billing.limits import PAYMENT_REQUIRED, READ_ONLY_MESSAGE, organisation_is_read_only

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

# POSTs that read, or that an administrator needs to pay: never blocked.
ALLOWED_WRITES = [
    re.compile(r"^/pacts/provider/.+/for-verification/?$"),  # pacts-for-verification is a read
    re.compile(r"^/log(in|out)/?$"),
    re.compile(r"^/settings/subscription(/.*)?$"),
]


class ReadOnlyOrganisationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (
            request.method in SAFE_METHODS
            or tenant is None
            or getattr(tenant, "pk", None) is None  # the public site
            or any(pattern.match(request.path_info) for pattern in ALLOWED_WRITES)
            or not organisation_is_read_only(tenant)
        ):
            return self.get_response(request)
        if "text/html" in request.headers.get("Accept", ""):
            return render(request, "billing/read_only.html", {"message": READ_ONLY_MESSAGE}, status=PAYMENT_REQUIRED)
        return JsonResponse({"error": READ_ONLY_MESSAGE}, status=PAYMENT_REQUIRED)
