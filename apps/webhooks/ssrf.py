"""Where a webhook may send requests: the broker's allow-lists plus a resolve-then-pin SSRF guard.

At save time (`url_problems`) and again at delivery (`destination_check`):
1. the scheme must be in WEBHOOK_SCHEME_WHITELIST (default https);
2. if WEBHOOK_HOST_WHITELIST is not empty, the host must match an entry: exact name, `*.domain`
   (one or more labels), IP, CIDR range, or `/regex/` (the broker's CheckHostWhitelist);
3. at delivery only, the host is resolved and EVERY address must be publicly routable
   (`ip.is_global`, which excludes loopback, private, link-local/metadata 169.254.0.0/16 and
   fd00:ec2::254, CGNAT 100.64/10, multicast, reserved and unspecified), unless the address is
   covered by an IP/CIDR entry of WEBHOOK_HOST_WHITELIST. A name entry never unlocks a private
   address: the operator must list the address (or range) itself.
The connection is then made to the checked address (delivery.py passes it to urllib3 with the
original Host header and TLS server name), so DNS cannot change between check and connect.
"""
import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class DestinationRefused(Exception):
    """The webhook may not be sent there; the message says why (it goes into the execution log).

    `permanent` refusals (scheme, host, private address) are not retried; a name that does not
    resolve may resolve later, so that one is.
    """

    def __init__(self, message: str, *, permanent: bool = True):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # as written in the URL (name or IP), lower case
    port: int
    address: str  # the checked IP the connection must go to


def _ip(value: str) -> Address | None:
    try:
        address = ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return address


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


def address_is_public(address: Address) -> bool:
    return address.is_global and not address.is_multicast


def scheme_allowed(scheme: str) -> bool:
    return scheme.lower() in settings.WEBHOOK_SCHEME_WHITELIST


def scheme_error_message() -> str:
    return (f"scheme must be {', '.join(settings.WEBHOOK_SCHEME_WHITELIST)}. "
            "See /doc/webhooks#whitelist for more information.")


def host_error_message() -> str:
    entries = ", ".join(f'"{entry}"' for entry in settings.WEBHOOK_HOST_WHITELIST)
    return f"host must be in the whitelist {entries}. See /doc/webhooks#whitelist for more information."


def _split(url: str):
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("URLs with credentials (user:password@host) are not allowed; "
                                 "use the webhook's username and password.")
    host = (parts.hostname or "").lower()
    if not parts.scheme or not host:
        raise DestinationRefused(f"Invalid URL '{url}'. Expected format: http://example.org")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise DestinationRefused(f"Invalid URL '{url}': bad port") from exc
    return parts.scheme.lower(), host, port


def resolve(host: str, port: int) -> list[Address]:
    """The addresses a host name resolves to (an IP literal resolves to itself)."""
    literal = _ip(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host.rstrip("."), port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise DestinationRefused(f"The host {host} could not be resolved ({exc.strerror}).",
                                 permanent=False) from exc
    addresses = []
    for info in infos:
        address = _ip(info[4][0].split("%")[0])
        if address is not None and address not in addresses:
            addresses.append(address)
    if not addresses:
        raise DestinationRefused(f"The host {host} did not resolve to any address.")
    return addresses


def destination_check(url: str) -> Destination:
    """Check a rendered URL right before sending; returns the address to connect to."""
    scheme, host, port = _split(url)
    if not scheme_allowed(scheme):
        raise DestinationRefused(f"Refused: {scheme_error_message()}")
    if not host_allowed(host):
        raise DestinationRefused(f"Refused: {host_error_message()}")
    addresses = resolve(host, port)
    for address in addresses:
        if not address_is_public(address) and not _address_allowed_by_whitelist(address):
            raise DestinationRefused(
                f"Refused: {host} resolves to {address}, which is not a public address "
                "(loopback, private, link-local/metadata and reserved ranges are blocked; "
                "allow it explicitly with PACT_BROKER_WEBHOOK_HOST_WHITELIST)."
            )
    return Destination(scheme=scheme, host=host, port=port, address=str(addresses[0]))
