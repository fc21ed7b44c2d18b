"""Sending one request: to the receiver, with the broker's success rule, timeouts and redacted logs."""

from apps.webhooks.delivery import request_send
from apps.webhooks.rendering import RenderedRequest
from tests.support.receiver import Receiver


def rendered(url, **extra):
    fields = {
        "method": "POST",
        "url": url,
        "headers": {"Content-Type": "application/json", "X-Api-Token": "tok-123"},
        "body": '{"secret": "s3cr3t"}',
        "username": "ci",
        "password": "pw-456",
        "sensitive_values": ["s3cr3t", "pw-456"],
    }
    return RenderedRequest(**{**fields, **extra})


def test_a_2xx_response_is_success_and_the_logs_show_it_without_credentials(local_webhooks, receiver):
    outcome = request_send(rendered(receiver.url("/hook?x=1")))

    assert outcome.success and outcome.status == 200
    request = receiver.requests[0]
    assert request.path == "/hook?x=1" and request.body == '{"secret": "s3cr3t"}'
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert "HTTP/1.1 200" in outcome.logs and '{"ok": true}' in outcome.logs
    for leaked in ("s3cr3t", "pw-456", "tok-123", request.headers["Authorization"].split()[1]):
        assert leaked not in outcome.logs


def test_a_non_2xx_response_is_a_retryable_failure(local_webhooks):
    server = Receiver(statuses=[500])
    try:
        outcome = request_send(rendered(server.url()))
    finally:
        server.stop()

    assert not outcome.success and outcome.retryable and outcome.status == 500


def test_a_receiver_slower_than_the_timeout_fails_the_attempt(local_webhooks):
    server = Receiver(delay=3)
    try:
        outcome = request_send(rendered(server.url()))
    finally:
        server.stop()

    assert not outcome.success and outcome.status is None
    assert "timed out" in outcome.error and outcome.duration_ms < 2900


def test_responses_are_hidden_in_logs_when_no_host_whitelist_is_configured(local_webhooks, receiver, monkeypatch):
    local_webhooks.WEBHOOK_HOST_WHITELIST = []
    # The guard would refuse loopback without a whitelist; approve it for this test of log visibility.
    monkeypatch.setattr("apps.webhooks.ssrf._address_allowed_by_whitelist", lambda address: True)

    outcome = request_send(rendered(receiver.url()))

    assert outcome.success
    assert '{"ok": true}' not in outcome.logs and "hidden" in outcome.logs
