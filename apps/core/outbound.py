"""The product's one outbound HTTP client: webhook deliveries and the SAML metadata download use it.

Every request to a URL a customer typed goes through `request`, which enforces, in this order:
1. the scheme is one the caller's `Policy` allows, and the URL carries no credentials (user-info);
2. the host passes the policy's host rule (the webhook host whitelist, for instance);
3. the host is resolved once and EVERY address must be publicly routable (`address_is_public`):
   `is_global` and not multicast, where an IPv6 address that embeds an IPv4 address is judged by
   that IPv4 address: IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64
   `64:ff9b::/96` and the local-use NAT64 prefix `64:ff9b:1::/48`, and 6to4 `2002:wwxx:yyzz::/48`.
   Python calls `64:ff9b::7f00:1`, `::7f00:1` and `2002:7f00:1::` global, yet each one reaches
   127.0.0.1 through a translator or tunnel. The policy may allow named non-public addresses (an
   IP/CIDR entry of the webhook whitelist; SSO_METADATA_ALLOW_PRIVATE);
4. the connection goes to the checked address (pinned: no second DNS lookup, so a name cannot
   re-bind to an internal address between check and connect), with the URL's host in the `Host`
   header and as the TLS server name, so certificates are still verified against the name;
5. the caller cannot set `Host` (nor the framing headers Content-Length, Transfer-Encoding,
   Connection): they are computed here, from the checked URL, and dropped from the caller's headers;
6. redirects are never followed (a 3xx is just the answer);
7. one deadline for the whole exchange: connect, TLS handshake, sending, the status line and
   headers, and the body. A per-read timeout does not bound a receiver that trickles one byte a
   second, so a watchdog timer shuts the socket down when the deadline passes; the blocked read
   returns and the request fails with `OutboundTimeout`;
8. the response body is read up to `body_limit` bytes; the rest is never read.

Errors are `OutboundError`s whose messages never contain header values or bodies (a header value
may hold a secret): callers may log them after redacting the URL, which they supplied.
"""

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# Headers the client computes itself; a caller's value for them is dropped (see the module note).
COMPUTED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


class OutboundError(Exception):
    """The request could not be made or completed. `permanent`: trying again will not help."""

    permanent = False


class DestinationRefused(OutboundError):
    """The policy does not allow this destination (checked before any socket is opened)."""

    def __init__(self, message: str, *, permanent: bool = True):
        super().__init__(message)
        self.permanent = permanent


class OutboundTimeout(OutboundError):
    """The exchange did not complete within its deadline."""


class OutboundFailed(OutboundError):
    """Connection, TLS or protocol failure."""


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or None."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64_WELL_KNOWN or address in NAT64_LOCAL_USE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in IPV4_COMPATIBLE and int(address) > 1:  # not :: nor ::1
        return ipaddress.IPv4Address(int(address))
    return None


def address_is_public(address: Address) -> bool:
    inner = embedded_ipv4(address)
    if inner is not None:
        return address_is_public(inner)
    return address.is_global and not address.is_multicast


def ip_literal(value: str) -> Address | None:
    try:
        return ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return None


@dataclass(frozen=True)
class Policy:
    """Where a caller may send requests. `host_allowed(host)` -> None or the refusal message;
    `private_allowed(address)` -> True to let a non-public address through (explicit opt-in)."""

    schemes: tuple[str, ...] = ("https",)
    host_refusal: Callable[[str], str | None] = lambda host: None
    private_allowed: Callable[[Address], bool] = lambda address: False
    scheme_refusal: str = "scheme must be https"
    private_hint: str = ""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # as written in the URL (name or IP), lower case, no brackets
    port: int
    address: str  # the checked IP the connection goes to


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    truncated: bool
    destination: Destination
    elapsed: float = 0.0
    extra: dict = field(default_factory=dict)


def url_split(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, request target). Refuses credentials in the URL and bad ports; the
    messages do not repeat the URL (it may carry a rendered secret)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        scheme = parts.scheme.lower()
    except ValueError as exc:
        raise DestinationRefused("Invalid URL: it cannot be parsed. Expected format: https://example.org") from exc
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused(
            "URLs with credentials (user:password@host) are not allowed; use the webhook's username and password."
        )
    if not scheme or not host:
        raise DestinationRefused("Invalid URL: it needs a scheme and a host. Expected format: https://example.org")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise DestinationRefused("Invalid URL: the port is not a number from 0 to 65535.") from exc
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, target


def resolve(host: str, port: int) -> list[Address]:
    """The addresses a host name resolves to (an IP literal resolves to itself)."""
    literal = ip_literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host.rstrip("."), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or "invalid name"
        raise DestinationRefused(f"The host {host} could not be resolved ({reason}).", permanent=False) from exc
    addresses: list[Address] = []
    for info in infos:
        address = ip_literal(info[4][0].split("%")[0])
        if address is not None and address not in addresses:
            addresses.append(address)
    if not addresses:
        raise DestinationRefused(f"The host {host} did not resolve to any address.")
    return addresses


def destination_check(url: str, policy: Policy) -> Destination:
    """Steps 1-3 of the module note; returns the address to connect to."""
    scheme, host, port, _ = url_split(url)
    if scheme not in policy.schemes:
        raise DestinationRefused(f"Refused: {policy.scheme_refusal}")
    refusal = policy.host_refusal(host)
    if refusal:
        raise DestinationRefused(f"Refused: {refusal}")
    addresses = resolve(host, port)
    for address in addresses:
        if not address_is_public(address) and not policy.private_allowed(address):
            inner = embedded_ipv4(address)
            shown = f"{address} ({inner})" if inner is not None else str(address)
            raise DestinationRefused(
                f"Refused: {host} resolves to {shown}, which is not a public address "
                f"(loopback, private, link-local/metadata and reserved ranges are blocked{policy.private_hint})."
            )
    return Destination(scheme=scheme, host=host, port=port, address=str(addresses[0]))


class _Watchdog:
    """Shuts a socket down at the deadline, so that a read blocked on a trickling peer returns."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.fired = False
        self._sock = None
        self._timer: threading.Timer | None = None

    def watch(self, sock) -> None:
        self.cancel()
        self._sock = sock
        self._timer = threading.Timer(max(0.0, self.deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:
            socket.socket.shutdown(self._sock, socket.SHUT_RDWR)  # the fd only, also for an SSLSocket
        except OSError:
            pass

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _connection(destination: Destination, *, connect_timeout: float, watchdog: _Watchdog, verify_tls: bool):
    remaining = watchdog.deadline - time.monotonic()

    class Pinned(http.client.HTTPConnection):
        def connect(self):
            # A socket of the address's family, connected to the address itself: no name lookup at
            # all on this path (socket.create_connection would call getaddrinfo again).
            family = socket.AF_INET6 if ":" in destination.address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(max(0.001, min(connect_timeout, remaining)))
                sock.connect((destination.address, destination.port))
            except BaseException:
                sock.close()
                raise
            sock.settimeout(max(0.001, watchdog.deadline - time.monotonic()))
            watchdog.watch(sock)
            if destination.scheme == "https":
                context = ssl.create_default_context()
                if not verify_tls:
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                sock = context.wrap_socket(sock, server_hostname=destination.host, do_handshake_on_connect=False)
                watchdog.watch(sock)
                sock.do_handshake()
            self.sock = sock

    return Pinned(destination.address, destination.port)


def host_header(destination: Destination) -> str:
    host = f"[{destination.host}]" if ":" in destination.host else destination.host
    default = 443 if destination.scheme == "https" else 80
    return host if destination.port == default else f"{host}:{destination.port}"


def _encode(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def request(
    method: str,
    url: str,
    *,
    policy: Policy,
    headers: dict | None = None,
    body: bytes | None = None,
    connect_timeout: float = 5.0,
    total_timeout: float = 15.0,
    body_limit: int = 64 * 1024,
    verify_tls: bool = True,
    checked: Destination | None = None,
) -> Response:
    """Send one request under `policy` (see the module note). Raises OutboundError.

    `checked`: a destination `destination_check` already approved for this URL (the caller logged
    it first); it is used as is, without resolving again.
    """
    started = time.monotonic()
    destination = checked or destination_check(url, policy)
    _, _, _, target = url_split(url)
    sent = {"Host": host_header(destination)}
    for name, value in (headers or {}).items():
        if str(name).lower() not in COMPUTED_HEADERS:
            sent[str(name)] = value
    if body is not None or method.upper() in ("POST", "PUT", "PATCH"):
        sent["Content-Length"] = str(len(body or b""))
    watchdog = _Watchdog(started + total_timeout)
    connection = _connection(destination, connect_timeout=connect_timeout, watchdog=watchdog, verify_tls=verify_tls)
    try:
        try:
            connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, _encode(value))
            payload = body if body is not None else None
            connection.endheaders(payload)
            raw = connection.getresponse()
            chunks, size = [], 0
            while size <= body_limit:
                chunk = raw.read(min(16384, body_limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
        except ValueError:  # http.client refuses a header name or value; its message quotes the value
            raise OutboundFailed(
                "The request has an invalid header name or value (control characters or "
                "characters outside Latin-1 in a name)."
            ) from None
        except (OSError, http.client.HTTPException) as exc:
            if watchdog.fired or isinstance(exc, TimeoutError | socket.timeout):
                raise OutboundTimeout(f"no complete response within {total_timeout:g} seconds") from None
            raise OutboundFailed(f"{type(exc).__name__} - {_safe_reason(exc)}") from None
        if watchdog.fired:  # the body ended because the watchdog closed the socket
            raise OutboundTimeout(f"no complete response within {total_timeout:g} seconds")
    finally:
        watchdog.cancel()
        connection.close()
    return Response(
        status=raw.status,
        reason=raw.reason or "",
        headers=list(raw.getheaders()),
        body=data[:body_limit],
        truncated=len(data) > body_limit,
        destination=destination,
        elapsed=time.monotonic() - started,
    )


def _safe_reason(exc: BaseException) -> str:
    """An error text without the request's own data (http.client puts header values in some)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate verification failed ({exc.verify_message})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)[:200] if isinstance(exc, OSError | http.client.HTTPException) else type(exc).__name__
