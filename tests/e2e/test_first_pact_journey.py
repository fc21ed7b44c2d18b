"""Issue 10's "done when": a new organisation goes from sign-up to its first published pact, its
verification, its network diagram and a can-i-deploy answer, entirely in the browser and the CLI.

In Chromium on the live server's public site: sign up, follow the link of the real confirmation
email (aiosmtpd), sign in, read the empty dashboard's publish command and create a token. With the
official `pact` CLI: run that very command (publish), verify the pact with `pact verifier` against
a small provider and publish the result, create an environment and record the provider's
deployment. Back in the browser: the dashboard row, the contract with its verification, the network
diagram's graph and the can-i-deploy answer, which `pact broker can-i-deploy` confirms. Screenshots
go to test-artifacts/screenshots/first-pact-*.png; each page is also checked with axe-core.
"""

import json
import os
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection

from tests.support.browser import axe_violations, chromium, chromium_available, new_page, shot
from tests.support.live import PACT_BIN, PactCli, ensure_host_names
from tests.support.pacts import FIXTURES

pytestmark = pytest.mark.e2e

SLUG = "first-pact"
EMAIL = "ada@first-pact.example"
PASSWORD = "analytical-engine-1843"
CONSUMER_VERSION = "3f2a9c1"  # a git SHA, as CI would publish
PROVIDER_VERSION = "b7e41d0"

if not chromium_available():  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


class _Provider:
    """Bar as the pact in tests/fixtures/pacts/foo-bar.json expects it."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                found = self.path == "/things"
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                if found:
                    self.wfile.write(b'[{"id": 1}]')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def _drop_organisation():
    from tenants.models import Tenant

    connection.set_schema_to_public()
    for tenant in Tenant.objects.filter(slug=SLUG):
        tenant.delete(force_drop=True)


@pytest.fixture
def public_site(transactional_db, live_server, smtp_server):
    """The live server's public site, a real SMTP server, and the new organisation's host name
    resolvable for the CLI; the organisation is dropped afterwards."""
    _drop_organisation()  # left over by a crashed earlier run
    port = live_server.url.rsplit(":", 1)[1]
    ensure_host_names(f"{SLUG}.localhost")
    yield f"http://localhost:{port}", f"http://{SLUG}.localhost:{port}", smtp_server
    _drop_organisation()


@pytest.fixture
def browser(public_site):
    with chromium() as started:
        yield started


@pytest.fixture
def provider_app():
    app = _Provider()
    yield app
    app.stop()


def _confirmation_link(smtp_server) -> str:
    deadline = time.monotonic() + 10  # the email is sent after the sign-up's transaction commits
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    [link] = smtp_server.links()
    return link


def _accessible(page) -> None:
    assert axe_violations(page) == [], page.url


def _run_shown_command(command: str, *, token: str, workdir) -> subprocess.CompletedProcess:
    """Run the publish command exactly as the empty dashboard shows it, in a CI-like shell."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PACT_")}
    env.update(
        PACT_DO_NOT_TRACK="true",
        PACT_BROKER_TOKEN=token,
        GIT_SHA=CONSUMER_VERSION,
        GIT_BRANCH="main",
        PATH=f"{PACT_BIN.parent}:{env['PATH']}",
    )
    return subprocess.run(["bash", "-c", command], cwd=workdir, env=env, capture_output=True, text=True, timeout=120)


def test_a_new_organisation_goes_from_sign_up_to_a_can_i_deploy_answer(public_site, browser, provider_app, tmp_path):
    public_url, org_url, smtp_server = public_site
    page = new_page(browser, public_url)

    # Sign up on the public site.
    page.goto("/")
    page.click("text=Create your organisation")
    _accessible(page)
    page.fill("#id_org_name", "First Pact Ltd")
    page.fill("#id_slug", SLUG)
    page.fill("#id_admin_name", "Ada Lovelace")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Create organisation')")
    page.wait_for_selector("h1:has-text('Check your email')")
    assert EMAIL in page.inner_text("main")
    shot(page, "first-pact-1-signed-up")

    # Confirm through the emailed link, then sign in on the organisation's own host.
    link = _confirmation_link(smtp_server)
    assert link.startswith(f"{org_url}/confirm/")
    page.goto(link)
    page.wait_for_url(f"{org_url}/login")
    assert "is confirmed" in page.inner_text("main")
    _accessible(page)
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{org_url}/")

    # The empty dashboard says how to publish the first pact, with this organisation's URL.
    assert "Publish your first pact" in page.inner_text("main")
    command = page.inner_text("#first-pact ~ pre code")
    assert f"--broker-base-url {org_url}" in command
    _accessible(page)
    shot(page, "first-pact-2-empty-dashboard")

    # A read/write token, created in the UI and shown once.
    page.click("text=create one under My tokens")
    page.fill("#id_name", "CI")
    page.uncheck("#id_read_only")  # tokens are read-only unless asked otherwise; publishing writes
    with page.expect_navigation(wait_until="load"):
        page.click("text=Create token")
    token = page.input_value("#new-token-value")
    assert token.startswith("cbt_rw_")

    # The CLI: publish with the command as shown, verify, record the deployment.
    (tmp_path / "pacts").mkdir()
    shutil.copy(FIXTURES / "foo-bar.json", tmp_path / "pacts" / "foo-bar.json")
    published = _run_shown_command(command, token=token, workdir=tmp_path)
    assert published.returncode == 0, published.stdout + published.stderr
    assert f"Pact successfully published for Foo version {CONSUMER_VERSION} and provider Bar" in (
        published.stdout + published.stderr
    )

    cli = PactCli(base_url=org_url, token=token)
    verified = cli.run(
        "verifier",
        "--broker-url",
        org_url,
        "--token",
        token,
        "--provider-name",
        "Bar",
        "--hostname",
        "127.0.0.1",
        "--port",
        str(provider_app.port),
        "--consumer-version-selectors",
        json.dumps({"mainBranch": True}),
        "--publish",
        "--provider-version",
        PROVIDER_VERSION,
        "--provider-branch",
        "main",
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Verifying a pact between Foo and Bar" in verified.stdout
    cli.broker("create-environment", "--name", "production", "--display-name", "Production", "--production", check=True)
    cli.broker(
        "record-deployment",
        "--pacticipant",
        "Bar",
        "--version",
        PROVIDER_VERSION,
        "--environment",
        "production",
        check=True,
    )

    # The dashboard: the pact, verified, and where the provider is deployed.
    page.goto(f"{org_url}/dashboard")
    row = page.locator("#integrations tbody tr")
    assert row.count() == 1
    row_text = row.inner_text()
    assert "Foo" in row_text and "Bar" in row_text and CONSUMER_VERSION in row_text
    assert "Verified" in row_text and "Production" in row_text and PROVIDER_VERSION in row_text
    _accessible(page)
    shot(page, "first-pact-3-dashboard")

    # The contract: its interactions and the verification the CLI published.
    page.click("a[aria-label^='Pact between Foo and Bar']")
    page.wait_for_url("**/ui/pacts/provider/Bar/consumer/Foo")
    assert "a request for things" in page.inner_text("#interactions ~ article")
    results = page.inner_text("#verifications + .table-wrap")
    assert "Passed" in results and PROVIDER_VERSION in results
    _accessible(page)
    shot(page, "first-pact-4-contract")

    # The network diagram: two applications, one green arrow from Foo to Bar.
    page.goto(f"{org_url}/ui/network")
    page.wait_for_function("window.brokerNetwork && window.brokerNetwork.nodes().length === 2")
    graph = page.evaluate("""() => ({
        nodes: window.brokerNetwork.nodes().map(n => n.data('name')).sort(),
        edges: window.brokerNetwork.edges().map(e => [e.source().data('name'), e.target().data('name'),
                                                     e.data('status'), e.style('line-color')]),
    })""")
    assert graph["nodes"] == ["Bar", "Foo"]
    assert graph["edges"] == [["Foo", "Bar", "success", "rgb(24,121,78)"]]
    _accessible(page)
    shot(page, "first-pact-5-network")

    # Can I deploy Foo's version to production? The page and the CLI both say yes, for the same reason.
    page.goto(f"{org_url}/ui/can-i-deploy")
    page.select_option("#pacticipant", "Foo")
    page.wait_for_function("document.querySelectorAll('#version option:not([value=\"\"])').length >= 1")
    page.fill("#number", CONSUMER_VERSION)  # a version number, over the list's choice
    page.select_option("#environment", "production")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".answer")
    assert "Yes, you can deploy" in page.inner_text(".answer")
    reasons = page.inner_text(".reasons")
    assert "All required verification results are published and successful" in reasons
    _accessible(page)
    shot(page, "first-pact-6-can-i-deploy")

    answer = cli.broker(
        "can-i-deploy",
        "--pacticipant",
        "Foo",
        "--version",
        CONSUMER_VERSION,
        "--to-environment",
        "production",
        "--retries",
        "0",
    )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    assert "Computer says yes" in answer.stdout
    assert "All required verification results are published and successful" in answer.stdout
