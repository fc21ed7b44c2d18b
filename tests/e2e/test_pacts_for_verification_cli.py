"""The official `pact verifier` against pacts-for-verification: pending and WIP pacts do not fail the build.

The verifier fetches each pact URL we return (`.../pact-version/{sha}/metadata/{m}`) and publishes
results to `.../metadata/{m}/verification-results`; both endpoints come from the pacts branch, so
these tests are expected to fail on this branch alone and to pass once it is merged.
"""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.support.factories import pact_publish, verify

pytestmark = pytest.mark.e2e


class _Provider:
    """A tiny provider: GET /things answers `status`."""

    def __init__(self, status: int):
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.status = status
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def provider_app(request):
    app = _Provider(getattr(request, "param", 200))
    yield app
    app.stop()


def _verify(pact_cli, port: int, provider_version: str, *, branch: str = "main"):
    return pact_cli.run(
        "verifier",
        "--broker-url",
        pact_cli.base_url,
        "--token",
        pact_cli.token,
        "--provider-name",
        "Bar",
        "--hostname",
        "127.0.0.1",
        "--port",
        str(port),
        "--consumer-version-selectors",
        json.dumps({"mainBranch": True}),
        "--provider-branch",
        branch,
        "--enable-pending",
        "--include-wip-pacts-since",
        (timezone.now() - timedelta(days=7)).date().isoformat(),
        "--publish",
        "--provider-version",
        provider_version,
    )


def _latest_success(org, pact_publication):
    from apps.verifications.models import Verification

    with schema_context(org.schema):
        return list(
            Verification.objects.filter(pact_version=pact_publication.pact_version)
            .order_by("id")
            .values_list("success", "pact_pending")
        )


def test_a_passing_provider_publishes_results_that_end_pending(live_acme, pact_cli, provider_app):
    org, _ = live_acme
    with schema_context(org.schema):
        publication = pact_publish("Foo", "1", "Bar", branch="main")

    result = _verify(pact_cli, provider_app.port, "bar-1")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Verifying a pact between Foo and Bar" in result.stdout
    assert _latest_success(org, publication) == [(True, True)]


@pytest.mark.parametrize("provider_app", [500], indirect=True)
def test_a_failing_provider_does_not_fail_the_build_for_a_pending_pact(live_acme, pact_cli, provider_app):
    org, _ = live_acme
    with schema_context(org.schema):
        pact_publish("Foo", "1", "Bar", branch="main")
        pact_publish("Foo", "2", "Bar", branch="feat-x", description="wip")  # a WIP pact, also pending

    result = _verify(pact_cli, provider_app.port, "bar-2")

    assert "Verifying a pact between Foo and Bar" in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("provider_app", [500], indirect=True)
def test_a_failing_provider_fails_the_build_for_a_pact_it_verified_before(live_acme, pact_cli, provider_app):
    org, _ = live_acme
    with schema_context(org.schema):
        publication = pact_publish("Foo", "1", "Bar", branch="main")
        verify(publication, "bar-0", branch="main")

    result = _verify(pact_cli, provider_app.port, "bar-3")

    assert "Verifying a pact between Foo and Bar" in result.stdout
    assert result.returncode != 0
    assert _latest_success(org, publication)[-1] == (False, False)
