"""Request context and tenant routing.

Routing picks the schema from the host: the bare BASE_DOMAIN is the public site, <slug>.BASE_DOMAIN
is that organisation, anything else is a 404 that never falls through to another schema. In
self-hosted mode every host serves the single organisation.
"""

import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.db import connection
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string
from django_tenants.utils import get_public_schema_name

from apps.core.log_context import current_request_id, current_tenant
from tenants import queries

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContextMiddleware:
    """Gives each request an id (kept from X-Request-ID when well-formed) for logs and responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs the response (e.g. "Not Found") after the
        # middleware chain returns. `request_finished` clears them instead.
        current_request_id.set(request.request_id)
        current_tenant.set("-")
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


@receiver(request_finished)
def _clear_request_context(**kwargs):
    current_request_id.set("-")
    current_tenant.set("-")


def wants_html(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept


def not_found_response(request, message: str):
    if wants_html(request):
        html = render_to_string("errors/unknown_organisation.html", {"message": message})
        return HttpResponseNotFound(html)
    return JsonResponse({"error": {"message": message}}, status=404)


# 423 Locked: the organisation exists and the credentials may be fine, but an operator has locked it
# (`manage.py org_suspend`); distinct from 401/403 so that a CI log says what happened.
SUSPENDED_MESSAGE = "This organisation is suspended. Its data is kept; contact support to have it resumed."


def suspended_response(request):
    if wants_html(request):
        html = render_to_string("errors/organisation_suspended.html", {"message": SUSPENDED_MESSAGE})
        return HttpResponse(html, status=423)
    return JsonResponse({"error": {"message": SUSPENDED_MESSAGE}}, status=423)


# 423 as well for an organisation an administrator closed (tenants/closing.py): reads keep working
# for the grace period, writes are refused, except what is needed to sign in, reopen the organisation
# or export its data.
CLOSING_MESSAGE = (
    "This organisation is closing: it is read-only until its data is deleted on {date}. "
    "An administrator can reopen it in Settings > Organisation."
)
CLOSING_WRITABLE_PATHS = (
    "/login",
    "/logout",
    "/password-reset",
    "/sso",  # SAML and social sign-in flows (their settings are under /settings/sso and /admin/sso)
    "/settings/organisation",
    "/settings/data",
)
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def closing_refuses(request, tenant) -> bool:
    if getattr(tenant, "closing_requested_at", None) is None or request.method in _SAFE_METHODS:
        return False
    return not any(request.path == path or request.path.startswith(path + "/") for path in CLOSING_WRITABLE_PATHS)


def closing_response(request, tenant):
    message = CLOSING_MESSAGE.format(date=f"{tenant.closing_deletes_at:%Y-%m-%d}")
    if wants_html(request):
        html = render_to_string("errors/organisation_closing.html", {"message": message})
        return HttpResponse(html, status=423)
    return JsonResponse({"error": message}, status=423)


class _PublicSite:
    """Stands in for a tenant on the public site (there is no Tenant row for it)."""

    schema_name = get_public_schema_name()
    pk = None
    name = "public"
    slug = None


PUBLIC_SITE = _PublicSite()


class TenantRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Routing owns the connection's schema: public until an organisation is chosen, so that a 404
        # or 423 answered here never runs in the schema a previous request left behind.
        connection.set_schema_to_public()
        if settings.SINGLE_TENANT:
            tenant = queries.single_tenant()
            if tenant is None:
                return not_found_response(request, "This broker has no organisation yet: run `manage.py broker_setup`.")
            return self._serve_tenant(request, tenant)

        host = request.get_host().split(":")[0].lower().rstrip(".")
        if host == settings.BASE_DOMAIN:
            request.tenant = PUBLIC_SITE
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            return self.get_response(request)

        tenant = queries.tenant_for_host(host)
        if tenant is None:
            return not_found_response(request, f"There is no organisation at {host}.")
        return self._serve_tenant(request, tenant)

    def _serve_tenant(self, request, tenant):
        if getattr(tenant, "suspended_at", None) is not None:
            return suspended_response(request)
        if closing_refuses(request, tenant):
            return closing_response(request, tenant)
        connection.set_tenant(tenant)
        request.tenant = tenant
        request.urlconf = settings.ROOT_URLCONF
        current_tenant.set(tenant.schema_name)
        return self.get_response(request)
