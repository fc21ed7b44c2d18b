"""The base URL of links we email (password reset, invitations): never the request's Host as sent.

A password-reset email is addressed to the victim but triggered by anyone; if its link were built
from the `Host` header, an attacker asking a reset with `Host: evil.example` would receive the
victim's reset token when they click (host-header link poisoning). So:

- SaaS: the host has already been matched to this organisation's own `Domain` row by routing
  (`tenants.middleware`), and must pass `ALLOWED_HOSTS` (the base domain and its subdomains), so
  it *is* a configured address: `<scheme>://<org>.<BASE_DOMAIN>`.
- Self-hosted: `PACT_BROKER_BASE_URL` when set. Otherwise the request's host only when the
  operator listed the host names (`ALLOWED_HOSTS`, validated by Django); when the operator opted in
  to every host name (`PACT_BROKER_ALLOW_ANY_HOST`) with no base URL, no link can be trusted and
  the email is refused (`UntrustedHost`) with what to configure.
"""

from django.conf import settings
from django.http.request import split_domain_port

from apps.accounts.services.errors import IdentityError

NO_BASE_URL_MESSAGE = (
    "This broker cannot email links: it answers on any host name and has no base URL. "
    "The operator must set PACT_BROKER_BASE_URL."
)


class UntrustedHost(IdentityError):
    """No configured address to build an emailed link from."""

    status = 400

    def __init__(self):
        super().__init__("base", NO_BASE_URL_MESSAGE)


def _any_host_allowed() -> bool:
    return any(pattern == "*" for pattern in settings.ALLOWED_HOSTS)


def email_base_url(request) -> str:
    """`scheme://host[:port]` (no trailing slash) for links sent by email, from configuration only."""
    if settings.SINGLE_TENANT:
        if settings.PUBLIC_BASE_URL:
            return settings.PUBLIC_BASE_URL.rstrip("/")
        if _any_host_allowed():
            raise UntrustedHost()
    host = request.get_host()  # raises DisallowedHost (400) for a host ALLOWED_HOSTS does not list
    domain, _ = split_domain_port(host)
    if not domain:
        raise UntrustedHost()
    return f"{request.scheme}://{host}"
