"""The Content-Security-Policy in a real browser: Debian's Chromium visits the main pages (and uses
htmx and the network diagram) under the policy the server sends, and no violation may occur: no
inline script or style, no eval, nothing from another origin (tests/security/test_headers.py
checks the header itself)."""

import time

import pytest
from django_tenants.utils import schema_context

from tests.support.browser import chromium, chromium_available, new_page, sign_in
from tests.support.ui_seed import ui_world_seed

pytestmark = pytest.mark.e2e


def _wait(page, function: str, timeout: float = 15.0) -> None:
    """Playwright's wait_for_function compiles its predicate with eval, which the policy refuses;
    page.evaluate runs through DevTools, so poll with it."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(function):
        assert time.monotonic() < deadline, f"timed out waiting for {function}"
        page.wait_for_timeout(100)


PASSWORD = "correct-horse-battery"
# Registered before any page script runs (DevTools, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""

if not chromium_available():  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture
def shop(live_acme):
    org, base_url = live_acme
    with schema_context(org.schema):
        seeded = ui_world_seed()
    return org, base_url, seeded


@pytest.fixture
def browser(shop):
    with chromium() as started:
        yield started


def test_the_main_pages_raise_no_content_security_policy_violation(browser, shop):
    org, base_url, seeded = shop
    page = new_page(browser, base_url, enforce_csp=True)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.context.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, org.admin.email, PASSWORD)
    pages = [
        "/dashboard",
        "/ui/network",
        "/ui/applications/Orders",
        "/ui/pacts/provider/Orders/consumer/Web",
        "/ui/matrix?consumer=Web&provider=Orders",
        "/ui/can-i-deploy",
        "/ui/environments",
        "/ui/webhooks",
        f"/ui/webhooks/{seeded['webhook'].uuid}",
        "/ui/webhooks/new",
        "/settings",
        "/settings/secrets",
        "/account/tokens",
        "/organisation/users",
        "/organisation/roles",
        "/settings/sso",
        "/settings/subscription",
    ]
    violations = {}
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        if path == "/ui/network":
            _wait(page, "() => window.brokerNetwork && window.brokerNetwork.nodes().length === 5")
        if path == "/dashboard":  # htmx swaps the table in as one types
            page.fill("#q", "mobile")
            _wait(page, "() => document.querySelectorAll('#integrations tbody tr').length === 1")
        if path == "/ui/can-i-deploy":  # htmx fills the versions
            page.select_option("#pacticipant", "Web")
            _wait(
                page, "() => document.querySelectorAll('#version option:not([value=\"\"])').length >= 1"
            )  # the branch heads and versions of Web
        found = page.evaluate("() => window.__cspViolations")
        if found:
            violations[path] = found
    refused = [line for line in console if "Content Security Policy" in line]

    assert violations == {}
    assert refused == []


def test_an_inline_script_would_be_reported(browser, shop):
    """The detector works: an inline script added to a served page is refused and reported."""
    org, base_url, _ = shop
    page = new_page(browser, base_url, enforce_csp=True)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.goto("/login")

    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                             document.body.appendChild(s); }""")
    _wait(page, "() => window.__cspViolations.length > 0")

    assert page.evaluate("() => window.ran") is None
    assert page.evaluate("() => window.__cspViolations")[0].startswith("script-src")
    assert any("Content Security Policy" in line for line in console)
