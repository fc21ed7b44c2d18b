"""Sending one rendered webhook request, and the execution log that records it.

The connection goes to the address ssrf.destination_check approved (no second DNS lookup), with
the URL's host in the Host header and as the TLS server name, so certificates are still checked
against the name. Redirects are never followed. The response body is read up to
WEBHOOK_RESPONSE_BODY_LIMIT and only shown in logs when a host whitelist is configured (the
broker's rule against blind SSRF). Logs are redacted before they are stored: Authorization/Token
headers, the password and every substituted secret value (raw and URL-escaped).
"""
import base64
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, quote_plus, urlsplit

import urllib3
from django.conf import settings

from apps.webhooks.rendering import RenderedRequest
from apps.webhooks.ssrf import DestinationRefused, destination_check

logger = logging.getLogger(__name__)

REDACTED = "********"
SENSITIVE_HEADER = re.compile(r"authorization|token", re.IGNORECASE)
SENSITIVE_LOG_LINE = re.compile(r"^(.*?\b(?:Authorization|[\w-]*Token[\w-]*): ).*$", re.IGNORECASE | re.MULTILINE)
RESPONSE_HIDDEN = ("Webhook response has been hidden for security reasons: responses are only shown for hosts "
                   "in PACT_BROKER_WEBHOOK_HOST_WHITELIST.")


@dataclass
class Outcome:
    success: bool
    logs: str
    status: int | None = None
    response_headers: dict | None = None
    response_body: str | None = None
    error: str = ""
    retryable: bool = True
    duration_ms: int = 0


def log_line(message: str, level: str = "INFO") -> str:
    """One line of an execution log, as the broker writes them."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return f"[{stamp}] {level}: {message}"


class _Log:
    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, message: str, level: str = "INFO"):
        self.lines.append(log_line(message, level))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def redact(text: str, sensitive_values: list[str]) -> str:
    """Remove credentials from a log text (always for secrets; headers when redaction is on)."""
    values = set()
    for value in sensitive_values:
        if value:
            values.update({value, quote_plus(value), quote(value, safe=""), json.dumps(value)[1:-1]})
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    if settings.WEBHOOK_REDACT_SENSITIVE_DATA:
        text = SENSITIVE_LOG_LINE.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def _request_headers(rendered: RenderedRequest, destination) -> dict:
    headers = {"User-Agent": settings.WEBHOOK_USER_AGENT}
    default_port = 443 if destination.scheme == "https" else 80
    host = destination.host if ":" not in destination.host else f"[{destination.host}]"
    headers["Host"] = host if destination.port == default_port else f"{host}:{destination.port}"
    headers.update(rendered.headers)
    if rendered.username:
        pair = f"{rendered.username}:{rendered.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return headers


def _pool(destination):
    timeout = urllib3.Timeout(connect=settings.WEBHOOK_CONNECT_TIMEOUT, read=settings.WEBHOOK_TIMEOUT)
    if destination.scheme == "https":
        verify = not settings.WEBHOOK_DISABLE_SSL_VERIFICATION
        return urllib3.HTTPSConnectionPool(
            destination.address, destination.port, timeout=timeout, retries=False, maxsize=1,
            cert_reqs="CERT_REQUIRED" if verify else "CERT_NONE",
            server_hostname=destination.host, assert_hostname=destination.host if verify else False,
        )
    return urllib3.HTTPConnectionPool(destination.address, destination.port, timeout=timeout, retries=False,
                                      maxsize=1)


def _read_capped(response, deadline: float) -> tuple[bytes, bool]:
    """Read at most the body limit, giving up at the deadline (a trickling server cannot hold us)."""
    limit = settings.WEBHOOK_RESPONSE_BODY_LIMIT
    chunks, size = [], 0
    while size < limit:
        if time.monotonic() > deadline:
            raise TimeoutError(f"response not complete within {settings.WEBHOOK_TIMEOUT:g} seconds")
        chunk = response.read(min(8192, limit - size), decode_content=True)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), True


def request_send(rendered: RenderedRequest, *, context: dict | None = None) -> Outcome:
    """Send the request once; never raises for network or HTTP problems (they become the outcome)."""
    log = _Log()
    show_response = bool(settings.WEBHOOK_HOST_WHITELIST)
    started = time.monotonic()
    if context:
        log(f"Webhook context {json.dumps(context, sort_keys=True, default=str)}", "DEBUG")
    outcome = Outcome(success=False, logs="")
    try:
        destination = destination_check(rendered.url)
        headers = _request_headers(rendered, destination)
        log(f"HTTP/1.1 {rendered.method} {rendered.url}")
        for name, value in headers.items():
            hidden = SENSITIVE_HEADER.search(name) and settings.WEBHOOK_REDACT_SENSITIVE_DATA
            log(f"{name}: {REDACTED if hidden else value}")
        if rendered.body is not None:
            log(rendered.body)
        parts = urlsplit(rendered.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        response = _pool(destination).urlopen(
            rendered.method, target, body=rendered.body.encode() if rendered.body is not None else None,
            headers=headers, redirect=False, retries=False, preload_content=False, assert_same_host=False,
        )
        try:
            body, truncated = _read_capped(response, started + settings.WEBHOOK_TIMEOUT)
        finally:
            response.release_conn()
        text = body.decode("utf-8", errors="replace")
        outcome.status = response.status
        outcome.success = response.status in settings.WEBHOOK_HTTP_CODE_SUCCESS
        if show_response:
            outcome.response_headers = dict(response.headers)
            outcome.response_body = text
            log(f"HTTP/1.1 {response.status} {response.reason or ''}".rstrip())
            for name, value in response.headers.items():
                log(f"{name}: {value}")
            if text:
                log(text + (" [truncated]" if truncated else ""))
        else:
            log(f"HTTP/1.1 {response.status}")
            log(RESPONSE_HIDDEN)
        logger.info("webhook response status=%s", response.status)
    except DestinationRefused as exc:
        outcome.error = str(exc)
        outcome.retryable = not exc.permanent
        log(str(exc), "ERROR")
        logger.warning("webhook refused: %s", exc)
    except (urllib3.exceptions.HTTPError, OSError, TimeoutError) as exc:
        kind = "timed out" if isinstance(exc, urllib3.exceptions.TimeoutError | TimeoutError) else "failed"
        outcome.error = f"Request {kind}: {type(exc).__name__} - {exc}"
        log(f"Error executing webhook: {outcome.error}", "ERROR")
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    outcome.logs = redact(log.text(), rendered.sensitive_values)
    outcome.error = redact(outcome.error, rendered.sensitive_values)
    if outcome.response_body:
        outcome.response_body = redact(outcome.response_body, rendered.sensitive_values)
    return outcome
