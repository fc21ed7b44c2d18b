"""Sending one rendered webhook request, and the execution log that records it.

The request goes out through the product's one outbound client (`apps.core.outbound`): SSRF-checked
and pinned to the checked address, no redirects, one deadline for the whole exchange
(WEBHOOK_CONNECT_TIMEOUT for the connect, WEBHOOK_TIMEOUT for everything up to the last body byte,
so a receiver that trickles bytes cannot hold a worker), the response body read up to
WEBHOOK_RESPONSE_BODY_LIMIT. The response is only shown in logs when a host whitelist is
configured (the broker's rule against blind SSRF).

`Host` is not the webhook's to choose: it always names the URL's host (a `Host` header in a stored
template is dropped here, with a line in the log; the API refuses new ones), so a webhook cannot
reach a virtual host other than the one its checked URL names.

Everything that leaves this module (logs, error, response body and headers, application log
records) is redacted by value (`redaction.redact`): substituted secrets, the password and the
Basic credentials, in every encoding; Authorization/Token headers additionally by name.
"""

import base64
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from apps.core import outbound
from apps.webhooks import ssrf
from apps.webhooks.redaction import REDACTED, redact
from apps.webhooks.rendering import RenderedRequest

logger = logging.getLogger(__name__)

SENSITIVE_HEADER = re.compile(r"authorization|token", re.IGNORECASE)
SENSITIVE_LOG_LINE = re.compile(r"^(.*?\b(?:Authorization|[\w-]*Token[\w-]*): ).*$", re.IGNORECASE | re.MULTILINE)
RESPONSE_HIDDEN = (
    "Webhook response has been hidden for security reasons: responses are only shown for hosts "
    "in PACT_BROKER_WEBHOOK_HOST_WHITELIST."
)


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


def sensitive_values(rendered: RenderedRequest) -> list[str]:
    """What must never be shown: substituted secrets, the password, and the Basic credentials."""
    values = list(rendered.sensitive_values)
    if rendered.username and values:
        pair = f"{rendered.username}:{rendered.password or ''}"
        values += [pair, base64.b64encode(pair.encode()).decode()]
    return values


def log_redact(text: str, values: list[str]) -> str:
    """Redact a log text: always secrets by value; Authorization/Token headers when redaction is on."""
    text = redact(text, values)
    if settings.WEBHOOK_REDACT_SENSITIVE_DATA:
        text = SENSITIVE_LOG_LINE.sub(lambda m: m.group(1) + REDACTED, text)
    return text


def request_headers(rendered: RenderedRequest) -> tuple[dict, list[str]]:
    """The headers to send (the Host header comes from the URL) and the names dropped."""
    headers = {"User-Agent": settings.WEBHOOK_USER_AGENT}
    dropped = []
    for name, value in rendered.headers.items():
        if name.lower() in outbound.COMPUTED_HEADERS:
            dropped.append(name)
        else:
            headers[name] = value
    if rendered.username:
        pair = f"{rendered.username}:{rendered.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return headers, dropped


def request_send(rendered: RenderedRequest, *, context: dict | None = None) -> Outcome:
    """Send the request once; never raises (network, HTTP and template problems become the outcome)."""
    log = _Log()
    show_response = bool(settings.WEBHOOK_HOST_WHITELIST)
    started = time.monotonic()
    secrets = sensitive_values(rendered)
    if context:
        log(f"Webhook context {json.dumps(context, sort_keys=True, default=str)}", "DEBUG")
    outcome = Outcome(success=False, logs="")
    try:
        destination = ssrf.destination_check(rendered.url)
        headers, dropped = request_headers(rendered)
        log(f"HTTP/1.1 {rendered.method} {rendered.url}")
        log(f"Host: {outbound.host_header(destination)}")
        for name, value in headers.items():
            hidden = SENSITIVE_HEADER.search(name) and settings.WEBHOOK_REDACT_SENSITIVE_DATA
            log(f"{name}: {REDACTED if hidden else value}")
        for name in dropped:
            log(f"The webhook's {name} header was not sent: it is computed from the URL.", "WARN")
        if rendered.body is not None:
            log(rendered.body)
        response = outbound.request(
            rendered.method,
            rendered.url,
            policy=ssrf.webhook_policy(),
            checked=destination,
            headers=headers,
            body=rendered.body.encode("utf-8", errors="surrogatepass") if rendered.body is not None else None,
            connect_timeout=settings.WEBHOOK_CONNECT_TIMEOUT,
            total_timeout=settings.WEBHOOK_TIMEOUT,
            body_limit=settings.WEBHOOK_RESPONSE_BODY_LIMIT,
            verify_tls=not settings.WEBHOOK_DISABLE_SSL_VERIFICATION,
        )
        text = response.body.decode("utf-8", errors="replace")
        outcome.status = response.status
        outcome.success = response.status in settings.WEBHOOK_HTTP_CODE_SUCCESS
        if show_response:
            outcome.response_headers = {redact(k, secrets): redact(v, secrets) for k, v in response.headers}
            outcome.response_body = redact(text, secrets)
            log(f"HTTP/1.1 {response.status} {response.reason}".rstrip())
            for name, value in response.headers:
                log(f"{name}: {value}")
            if text:
                log(text + (" [truncated]" if response.truncated else ""))
        else:
            log(f"HTTP/1.1 {response.status}")
            log(RESPONSE_HIDDEN)
        logger.info("webhook response status=%s", response.status)
    except outbound.DestinationRefused as exc:
        outcome.error = str(exc)
        outcome.retryable = not exc.permanent
        log(str(exc), "ERROR")
        logger.warning("webhook refused: %s", redact(str(exc), secrets))
    except outbound.OutboundError as exc:
        kind = "timed out" if isinstance(exc, outbound.OutboundTimeout) else "failed"
        outcome.error = f"Request {kind}: {exc}"
        log(f"Error executing webhook: {outcome.error}", "ERROR")
    except Exception as exc:  # never a 500 nor an unredacted traceback from a user's template
        outcome.error = f"Request failed: unexpected {type(exc).__name__}"
        log(f"Error executing webhook: {outcome.error}", "ERROR")
        logger.warning("webhook delivery failed unexpectedly: %s", type(exc).__name__)
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    outcome.logs = log_redact(log.text(), secrets)
    outcome.error = redact(outcome.error, secrets)
    return outcome
