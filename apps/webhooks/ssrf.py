"""Where a webhook may send requests: the broker's allow-lists on top of the product's SSRF guard.

The guard itself (resolve once, refuse non-public addresses including IPv6 forms that embed an
IPv4 address, connect to the checked address, no redirects, one deadline) is `apps.core.outbound`,
shared with the SAML metadata download. This module turns the webhook settings into its `Policy`:
1. the scheme must be in WEBHOOK_SCHEME_WHITELIST (default https);
2. if WEBHOOK_HOST_WHITELIST is not empty, the host must match an entry: exact name, `*.domain`
   (one or more labels), IP, CIDR range, or `/regex/` (the broker's CheckHostWhitelist);
3. at delivery, every address the host resolves to must be publicly routable, unless the address
   is covered by an IP/CIDR entry of WEBHOOK_HOST_WHITELIST. A name entry never unlocks a private
   address: the operator must list the address (or range) itself.
At save time (api/contract.py) the scheme and host rules are checked; at delivery all three.
"""

import ipaddress
import re

from django.conf import settings

from apps.core import outbound
from apps.core.outbound import Address, Destination, DestinationRefused, address_is_public  # noqa: F401 (re-exported)


def _ip(value: str) -> Address | None:
    address = outbound.ip_literal(value)
    inner = outbound.embedded_ipv4(address) if address is not None else None
    return inner or address


def _entry_matches_host(entry: str, host: str) -> bool:
    if len(entry) > 2 and entry.startswith("/") and entry.endswith("/"):
        return re.search(entry[1:-1], host) is not None
    host_ip = _ip(host)
    if host_ip is not None:
        try:
            return host_ip in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    entry = entry.lower().rstrip(".")
    if entry.startswith("*."):
        return host.endswith(entry[1:]) and host != entry[2:]
    return host == entry


def host_allowed(host: str) -> bool:
    entries = settings.WEBHOOK_HOST_WHITELIST
    host = host.lower().rstrip(".")
    return not entries or any(_entry_matches_host(entry, host) for entry in entries)


def _address_allowed_by_whitelist(address: Address) -> bool:
    for entry in settings.WEBHOOK_HOST_WHITELIST:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def scheme_allowed(scheme: str) -> bool:
    return scheme.lower() in settings.WEBHOOK_SCHEME_WHITELIST


def scheme_error_message() -> str:
    return (
        f"scheme must be {', '.join(settings.WEBHOOK_SCHEME_WHITELIST)}. "
        "See /doc/webhooks#whitelist for more information."
    )


def host_error_message() -> str:
    entries = ", ".join(f'"{entry}"' for entry in settings.WEBHOOK_HOST_WHITELIST)
    return f"host must be in the whitelist {entries}. See /doc/webhooks#whitelist for more information."


def webhook_policy() -> outbound.Policy:
    return outbound.Policy(
        schemes=tuple(settings.WEBHOOK_SCHEME_WHITELIST),
        scheme_refusal=scheme_error_message(),
        host_refusal=lambda host: None if host_allowed(host) else host_error_message(),
        private_allowed=_address_allowed_by_whitelist,
        private_hint="; allow it explicitly with PACT_BROKER_WEBHOOK_HOST_WHITELIST",
    )


def destination_check(url: str) -> Destination:
    """Check a rendered URL right before sending; returns the address to connect to."""
    return outbound.destination_check(url, webhook_policy())
