"""The SSRF guard refuses internal destinations after resolving them, unless allow-listed."""

import pytest

from apps.webhooks import ssrf
from apps.webhooks.delivery import request_send
from apps.webhooks.rendering import RenderedRequest


@pytest.fixture
def any_scheme(settings):
    settings.WEBHOOK_SCHEME_WHITELIST = ["http", "https"]
    settings.WEBHOOK_HOST_WHITELIST = []
    return settings


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://127.1/",
        "http://0x7f000001/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost./",
        "http://localhost/",
        "http://100.64.0.1/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://0.0.0.0/",
    ],
)
def test_internal_destinations_are_refused_by_default(any_scheme, url):
    with pytest.raises(ssrf.DestinationRefused, match="not a public address"):
        ssrf.destination_check(url)


@pytest.mark.parametrize(
    "url, reason",
    [
        ("file:///etc/passwd", "Invalid URL"),
        ("gopher://example.org/", "scheme must be"),
        ("https://user:pass@example.org/", "credentials"),
    ],
)
def test_other_schemes_and_credentials_in_urls_are_refused(any_scheme, url, reason):
    with pytest.raises(ssrf.DestinationRefused, match=reason):
        ssrf.destination_check(url)


def test_a_name_on_the_host_whitelist_does_not_unlock_the_loopback_address_it_resolves_to(any_scheme):
    any_scheme.WEBHOOK_HOST_WHITELIST = ["localhost"]

    with pytest.raises(ssrf.DestinationRefused, match="localhost resolves to 127.0.0.1"):
        ssrf.destination_check("http://localhost:8080/")


def test_an_ip_or_cidr_entry_allows_that_address_and_the_connection_is_pinned_to_it(any_scheme):
    any_scheme.WEBHOOK_HOST_WHITELIST = ["127.0.0.0/8"]

    destination = ssrf.destination_check("http://127.0.0.1:8080/x")

    assert destination.address == "127.0.0.1" and destination.port == 8080


def test_a_non_empty_host_whitelist_refuses_other_hosts(any_scheme):
    any_scheme.WEBHOOK_HOST_WHITELIST = ["*.example.org", "/^ci[0-9]+\\.corp$/"]

    assert ssrf.host_allowed("build.example.org") and ssrf.host_allowed("ci42.corp")
    assert not ssrf.host_allowed("example.org") and not ssrf.host_allowed("evil.com")
    with pytest.raises(ssrf.DestinationRefused, match="whitelist"):
        ssrf.destination_check("https://evil.com/")


def test_a_refused_delivery_is_logged_with_the_reason_and_not_retried(any_scheme):
    outcome = request_send(
        RenderedRequest(
            method="POST", url="http://169.254.169.254/latest", headers={}, body=None, username=None, password=None
        )
    )

    assert not outcome.success and not outcome.retryable and outcome.status is None
    assert "169.254.169.254 resolves to 169.254.169.254, which is not a public address" in outcome.logs
