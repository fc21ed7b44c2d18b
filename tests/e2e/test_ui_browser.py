"""The web UI in a real browser: Debian's headless Chromium driven by Playwright against the live
server, on acme with seeded data. Every page is screenshotted into test-artifacts/screenshots/.

Chromium comes from Debian (`apt-get install chromium`, .ci/run does it); `playwright install` is
never run. Playwright's sync API keeps an event loop in this thread, so Django's async-safety
check is relaxed for these tests (the live server itself runs in its own thread as usual).
"""
import os
import re
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from tests.support.ui_seed import ui_world_seed

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"

if not os.path.exists(CHROMIUM):  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture
def browser(shop):
    """Started after the database fixtures (and stopped before them): Playwright's event loop must
    not be running while pytest-django opens or closes transactions."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def shop(live_acme):
    """acme on the live server with the seeded shop, a viewer, and room for more seats."""
    from apps.accounts import services

    org, base_url = live_acme
    org.tenant.plan, org.tenant.seats = "team", 50
    org.tenant.save()
    with schema_context(org.schema):
        seeded = ui_world_seed()
        services.user_create(email="viewer@acme.example", name="Vera Viewer", password=PASSWORD,
                             email_confirmed=True, roles=[services.builtin_role("viewer")])
    return org, base_url, seeded


def _page(browser, base_url: str, email: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto("/login")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(dashboard)?$"))
    return page


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_every_page_loads_and_is_screenshotted(browser, shop):
    org, base_url, seeded = shop
    page = _page(browser, base_url, org.admin.email)
    pages = {
        "dashboard": ("/dashboard", "Integrations"),
        "network": ("/ui/network", "Network diagram"),
        "pacticipant": ("/ui/pacticipants/Orders", "Orders"),
        "pact": ("/ui/pacts/provider/Orders/consumer/Web", "Web → Orders"),
        "pact-diff": ("/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0",
                      "What changed between two pacts"),
        "matrix": ("/ui/matrix?consumer=Web&provider=Orders", "Matrix"),
        "can-i-deploy": ("/ui/can-i-deploy?pacticipant=Web&version=1.0.0&environment=production", "Can I deploy?"),
        "environments": ("/ui/environments", "Environments"),
        "webhooks": ("/ui/webhooks", "Webhooks"),
        "webhook": (f"/ui/webhooks/{seeded['webhook'].uuid}", "Verify changed pacts"),
        "webhook-new": ("/ui/webhooks/new", "New webhook"),
        "settings": ("/settings", "Settings"),
        "secrets": ("/settings/secrets", "Secrets"),
        "tokens": ("/account/tokens", "My API tokens"),
        "users": ("/organisation/users", "Users"),
        "sso": ("/settings/sso", "Single sign-on"),
        "subscription": ("/settings/subscription", "Subscription"),
    }
    for name, (path, heading) in pages.items():
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert heading in page.locator("h1").first.inner_text(), path
        assert page.locator("nav[aria-label=Main] a[aria-current=page]").count() == 1, path
        if name == "network":
            page.wait_for_function("window.brokerNetwork && window.brokerNetwork.nodes().length === 5")
        _shot(page, name)

    # The network diagram is interactive: an application leads to its page.
    page.goto("/ui/network")
    page.wait_for_function("window.brokerNetwork && window.brokerNetwork.nodes().length === 5")
    assert page.evaluate("window.brokerNetwork.edges().length") == 4
    page.evaluate("window.brokerNetwork.nodes().filter(n => n.data('name') === 'Payments').emit('tap')")
    page.wait_for_url("**/ui/pacticipants/Payments")


def test_the_dashboard_filters_as_you_type(browser, shop):
    org, base_url, _ = shop
    page = _page(browser, base_url, org.admin.email)
    page.goto("/dashboard")
    assert page.locator("#integrations tbody tr").count() == 4
    page.fill("#q", "mobile")
    page.wait_for_function("document.querySelectorAll('#integrations tbody tr').length === 1")
    assert "Changed since last verified" in page.locator("#integrations tbody").inner_text()
    assert "q=mobile" in page.url
    page.select_option("#status", "failed")
    page.wait_for_selector("text=No integration matches the filter")
    _shot(page, "dashboard-filtered")


def test_can_i_deploy_answers_with_the_reasons(browser, shop):
    org, base_url, _ = shop
    page = _page(browser, base_url, org.admin.email)
    page.goto("/ui/can-i-deploy")
    page.select_option("#pacticipant", "Web")
    page.wait_for_function("document.querySelectorAll('#versions option').length === 2")  # htmx filled them
    page.fill("#version", "1.0.0")
    page.select_option("#environment", "production")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".answer")
    assert "Yes, you can deploy" in page.inner_text(".answer")
    assert "All required verification results are published and successful" in page.inner_text(".reasons")

    page.fill("#version", "1.1.0")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".answer-unknown")
    assert "There is no verified pact between" in page.inner_text(".reasons")
    _shot(page, "can-i-deploy-unknown")


def test_an_administrator_invites_a_user(browser, shop):
    org, base_url, _ = shop
    page = _page(browser, base_url, org.admin.email)
    page.goto("/organisation/users")
    page.fill("#id_email", "newcomer@acme.example")
    page.click("text=Send invitation")
    page.wait_for_selector("text=newcomer@acme.example")
    row = page.locator("tr", has_text="newcomer@acme.example")
    assert "invited" in row.inner_text()


def test_a_new_token_is_shown_once_with_a_copy_button(browser, shop):
    org, base_url, _ = shop
    page = _page(browser, base_url, org.admin.email)
    page.goto("/account/tokens")
    page.fill("#id_name", "laptop")
    with page.expect_navigation(wait_until="load"):  # copy.js is attached before the copy click
        page.click("text=Create token")
    value = page.input_value("#new-token-value")
    assert len(value) > 20
    page.click("[data-copy='#new-token-value']")
    page.wait_for_selector("text=Copied")
    assert page.evaluate("navigator.clipboard.readText()") == value
    _shot(page, "token-created")
    page.goto("/account/tokens")
    assert value not in page.content()
    assert page.locator("#new-token-value").count() == 0


def test_a_webhook_is_validated_created_and_tested(browser, shop):
    org, base_url, _ = shop
    page = _page(browser, base_url, org.admin.email)
    page.goto("/ui/webhooks/new")
    page.fill("#id_url", "ftp://ci.example.com/build")
    page.click("text=Create webhook")
    assert page.locator(".error", has_text="scheme").count() >= 1 or "must" in page.inner_text("form")
    _shot(page, "webhook-invalid")
    page.fill("#id_description", "Trigger provider build")
    page.select_option("#id_provider", "Orders")
    page.fill("#id_url", "https://ci.example.com/build")
    page.fill("#id_headers", "Content-Type: application/json")
    page.fill("#id_body", '{"consumer": "${pactbroker.consumerName}"}')
    page.click("text=Create webhook")
    page.wait_for_selector("text=Webhook created")
    assert "Trigger provider build" in page.inner_text("h1")
    page.click("button:has-text('Test')")
    page.wait_for_selector("#trial .status")  # htmx swapped in the test run's result
    assert "Logs" in page.inner_text("#trial")
    _shot(page, "webhook-tested")


def test_a_viewer_sees_no_admin_controls(browser, shop):
    org, base_url, seeded = shop
    page = _page(browser, base_url, "viewer@acme.example")
    page.goto("/ui/webhooks")
    assert page.locator("text=New webhook").count() == 0
    page.goto(f"/ui/webhooks/{seeded['webhook'].uuid}")
    assert page.locator("button:has-text('Test')").count() == 0
    assert page.locator("button:has-text('Delete')").count() == 0
    assert page.locator("form[method=post] input[name=url]").count() == 0
    page.goto("/organisation/users")
    assert page.locator("text=Send invitation").count() == 0
    settings_nav = page.locator("nav[aria-label=Settings]").inner_text()
    for hidden in ("Secrets", "Subscription", "Single sign-on", "Audit log"):
        assert hidden not in settings_nav
    _shot(page, "viewer-users")
    assert page.goto("/settings/secrets").status == 403
