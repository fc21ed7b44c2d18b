"""The product's one outbound client (apps.core.outbound): IPv6 forms of internal IPv4 addresses,
the Host header, pinning, redirects, the total deadline and the body cap.

Refusals are checked before any socket opens (the resolver is stubbed where a name is needed);
the only addresses ever dialled are 127.0.0.1 servers of this test.
"""

import socket
import threading
import time

import pytest

from apps.core import outbound
from apps.webhooks import ssrf
from apps.webhooks.delivery import request_send
from apps.webhooks.rendering import RenderedRequest
from tests.support.receiver import Receiver
from tests.webhooks import conftest as webhook_fixtures

pytestmark = pytest.mark.django_db
local_webhooks = webhook_fixtures.local_webhooks
receiver = webhook_fixtures.receiver

LOOPBACK_ONLY = outbound.Policy(schemes=("http",), private_allowed=lambda a: str(a) == "127.0.0.1")


@pytest.fixture
def any_public_host(settings):
    settings.WEBHOOK_SCHEME_WHITELIST = ["http", "https"]
    settings.WEBHOOK_HOST_WHITELIST = []
    return settings


@pytest.mark.parametrize(
    "url, inner",
    [
        ("http://[64:ff9b::7f00:1]/", "127.0.0.1"),  # NAT64 well-known prefix
        ("http://[64:ff9b::a9fe:a9fe]/", "169.254.169.254"),
        ("http://[64:ff9b:1::a00:1]/", "10.0.0.1"),  # NAT64 local-use prefix
        ("http://[2002:7f00:1::]/", "127.0.0.1"),  # 6to4
        ("http://[2002:a9fe:a9fe::1]/", "169.254.169.254"),
        ("http://[::7f00:1]/", "127.0.0.1"),  # IPv4-compatible
        ("http://[::a00:1]/", "10.0.0.1"),
        ("http://[::ffff:7f00:1]/", "127.0.0.1"),  # IPv4-mapped
        ("http://[::ffff:169.254.169.254]/", "169.254.169.254"),
    ],
)
def test_ipv6_addresses_embedding_an_internal_ipv4_address_are_refused(any_public_host, url, inner, monkeypatch):
    monkeypatch.setattr(socket, "socket", _no_socket)

    with pytest.raises(ssrf.DestinationRefused, match=rf"\({inner}\), which is not a public address"):
        ssrf.destination_check(url)


def test_a_name_resolving_to_a_nat64_form_of_loopback_is_refused(any_public_host, monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::7f00:1", 443, 0, 0)),
        ],
    )
    monkeypatch.setattr(socket, "socket", _no_socket)

    outcome = request_send(
        RenderedRequest(
            method="POST", url="https://rebind.example/hook", headers={}, body=None, username=None, password=None
        )
    )

    assert not outcome.success and not outcome.retryable and outcome.status is None
    assert "rebind.example resolves to 64:ff9b::7f00:1 (127.0.0.1), which is not a public address" in outcome.logs


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "::808:808", "2606:4700::1111"])
def test_ipv6_forms_of_public_addresses_stay_allowed(address):
    assert outbound.address_is_public(outbound.ip_literal(address))


def test_the_connection_goes_to_the_checked_address_not_to_a_second_lookup(any_public_host, monkeypatch):
    """DNS rebinding: the first answer is checked and pinned; a later lookup would say 10.0.0.1."""
    server = Receiver()
    answers = iter(["127.0.0.1", "10.0.0.1"])
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), 80)),
        ],
    )
    try:
        policy = outbound.Policy(schemes=("http",), private_allowed=lambda a: str(a) == "127.0.0.1")
        response = outbound.request("POST", f"http://hooks.example:{server.port}/x", policy=policy, body=b"{}")
    finally:
        server.stop()

    assert response.status == 200 and response.destination.address == "127.0.0.1"
    assert server.requests[0].headers["Host"] == f"hooks.example:{server.port}"


def test_the_host_header_always_names_the_url_host(local_host_receiver):
    server = local_host_receiver
    headers = {
        "Host": "metadata.google.internal",
        "content-length": "999",
        "Transfer-Encoding": "chunked",
        "X-Ok": "yes",
    }

    response = outbound.request("POST", server.url("/h"), policy=LOOPBACK_ONLY, headers=headers, body=b"{}")

    received = server.requests[0]
    assert response.status == 200
    assert received.headers["Host"] == f"127.0.0.1:{server.port}" and received.headers["X-Ok"] == "yes"
    assert received.headers["Content-Length"] == "2" and "Transfer-Encoding" not in received.headers


def test_a_webhook_cannot_be_saved_with_a_host_header(acme):
    answer = acme.client().post(
        "/webhooks",
        {
            "events": [{"name": "contract_published"}],
            "request": {"method": "POST", "url": "https://ci.example.org/hook", "headers": {"host": "internal.corp"}},
        },
        content_type="application/json",
    )

    assert answer.status_code == 400
    assert answer.json()["errors"]["request.headers"] == [
        "must not set Host: it is always the host of the URL (nor Content-Length, Transfer-Encoding or "
        "Connection, which are computed)"
    ]


def test_a_stored_host_header_is_dropped_at_delivery_and_the_log_says_so(local_webhooks, receiver):
    outcome = request_send(
        RenderedRequest(
            method="POST",
            url=receiver.url(),
            headers={"Host": "evil.internal"},
            body="{}",
            username=None,
            password=None,
        )
    )

    assert outcome.success and receiver.requests[0].headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert "The webhook's Host header was not sent: it is computed from the URL." in outcome.logs


def test_redirects_are_not_followed(local_host_receiver):
    server = Receiver(statuses=[302])
    try:
        response = outbound.request("POST", server.url("/r"), policy=LOOPBACK_ONLY, body=b"")
    finally:
        server.stop()

    assert response.status == 302 and len(server.requests) == 1


class Trickler:
    """A real socket server that answers one byte every `interval` seconds, forever (headers or body)."""

    def __init__(self, *, interval: float = 0.2, head: bytes = b""):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.interval, self.head = interval, head
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn):
        try:
            conn.recv(65536)
            conn.sendall(self.head)
            while not self.stopped.is_set():
                conn.sendall(b"x" if self.head else b"X")
                time.sleep(self.interval)
        except OSError:
            pass
        finally:
            conn.close()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def stop(self):
        self.stopped.set()
        self.sock.close()


@pytest.mark.parametrize(
    "head",
    [
        b"",  # the status line never ends
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: ",  # a header never ends
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n",  # the body never ends
    ],
    ids=["status-line", "headers", "body"],
)
def test_a_receiver_that_trickles_bytes_is_cut_off_at_the_total_deadline(local_webhooks, head):
    local_webhooks.WEBHOOK_TIMEOUT = 1.0
    server = Trickler(head=head, interval=0.1)  # each read succeeds well within any per-read timeout
    try:
        started = time.monotonic()
        outcome = request_send(
            RenderedRequest(method="POST", url=server.url(), headers={}, body="{}", username=None, password=None)
        )
        elapsed = time.monotonic() - started
    finally:
        server.stop()

    assert not outcome.success and outcome.retryable and outcome.status is None
    assert outcome.error == "Request timed out: no complete response within 1 seconds"
    assert elapsed < 4  # a 1 s deadline (the trickle alone would take hours); slack for a loaded machine


def test_the_response_body_is_read_only_up_to_the_limit(local_webhooks):
    local_webhooks.WEBHOOK_RESPONSE_BODY_LIMIT = 1000
    server = Receiver(response_body="y" * 50_000)
    try:
        outcome = request_send(
            RenderedRequest(method="POST", url=server.url(), headers={}, body="{}", username=None, password=None)
        )
    finally:
        server.stop()

    assert outcome.success and outcome.response_body == "y" * 1000
    assert "y" * 1000 + " [truncated]" in outcome.logs


def test_the_saml_metadata_download_uses_the_same_guard(settings, monkeypatch):
    from sso.saml import SsoError, metadata_fetch

    settings.SSO_METADATA_ALLOW_PRIVATE = False
    monkeypatch.setattr(socket, "socket", _no_socket)
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::a9fe:a9fe", 443, 0, 0)),
        ],
    )

    with pytest.raises(SsoError, match="The metadata URL must point at a public host."):
        metadata_fetch("https://idp.example/metadata")
    with pytest.raises(SsoError, match="The metadata URL must use https."):
        metadata_fetch("http://idp.example/metadata")


def test_the_saml_metadata_download_is_cut_off_at_its_deadline(settings, monkeypatch):
    from sso import saml

    settings.SSO_METADATA_ALLOW_PRIVATE = True
    server = Trickler(head=b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", interval=0.05)
    real_request = outbound.request
    monkeypatch.setattr(outbound, "request", lambda *a, **k: real_request(*a, **{**k, "total_timeout": 1}))
    try:
        started = time.monotonic()
        with pytest.raises(saml.SsoError, match="The metadata URL could not be reached."):
            saml.metadata_fetch(server.url())
    finally:
        server.stop()
    assert time.monotonic() - started < 2.5


def _no_socket(*args, **kwargs):
    raise AssertionError("no socket may be opened for a refused destination")


@pytest.fixture
def local_host_receiver():
    server = Receiver()
    yield server
    server.stop()
