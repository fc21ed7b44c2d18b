"""The web UI in a real browser: Debian's headless Chromium driven by Playwright against the live
server, on acme with seeded data (tests/support/browser.py says how the browser is run). Every page
is screenshotted into test-artifacts/screenshots/ and checked with axe-core (WCAG 2.1 A/AA).
"""

import pytest
from django_tenants.utils import schema_context

from tests.support.browser import axe_violations, chromium, chromium_available, new_page, shot, sign_in
from tests.support.ui_seed import ui_world_seed

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"

if not chromium_available():  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture
def browser(shop):
    """Started after the database fixtures (and stopped before them): Playwright's event loop must
    not be running while pytest-django opens or closes transactions."""
    with chromium() as started:
        yield started


@pytest.fixture
def shop(live_acme):
    """acme on the live server with the seeded shop, a viewer, and room for more seats."""
    from apps.accounts import services

    org, base_url = live_acme
    org.tenant.plan, org.tenant.seats = "team", 50
    org.tenant.save()
    with schema_context(org.schema):
        seeded = ui_world_seed()
        services.user_create(
            email="viewer@acme.example",
            name="Vera Viewer",
            password=PASSWORD,
            email_confirmed=True,
            roles=[services.builtin_role("viewer")],
        )
    return org, base_url, seeded


def _page(browser, base_url: str, email: str):
    page = new_page(browser, base_url)
    sign_in(page, email, PASSWORD)
    return page


_shot = shot


def test_every_page_loads_and_is_screenshotted(browser, shop):
    org, base_url, seeded = shop
    page = _page(browser, base_url, org.admin.email)
    pages = {
        "dashboard": ("/dashboard", "Integrations"),
        "network": ("/ui/network", "Network diagram"),
        "applications": ("/ui/applications", "Applications"),
        "pacticipant": ("/ui/applications/Orders", "Orders"),
        "pact": ("/ui/pacts/provider/Orders/consumer/Web", "Web → Orders"),
        "pact-diff": (
            "/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0",
            "What changed between two pacts",
        ),
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
    violations = {}
    for name, (path, heading) in pages.items():
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert heading in page.locator("h1").first.inner_text(), path
        assert page.locator("nav[aria-label=Main] a[aria-current=page]").count() == 1, path
        if name == "network":
            page.wait_for_function("window.brokerNetwork && window.brokerNetwork.nodes().length === 5")
        _shot(page, name)
        found = axe_violations(page)
        if found:
            violations[path] = found
    assert violations == {}, "axe-core (WCAG 2.1 A/AA):\n" + "\n".join(
        f"{path}: {line}" for path, lines in violations.items() for line in lines
    )

    # The network diagram is interactive: an application leads to its page.
    page.goto("/ui/network")
    page.wait_for_function("window.brokerNetwork && window.brokerNetwork.nodes().length === 5")
    assert page.evaluate("window.brokerNetwork.edges().length") == 4
    page.evaluate("window.brokerNetwork.nodes().filter(n => n.data('name') === 'Payments').emit('tap')")
    page.wait_for_url("**/ui/applications/Payments")


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
    page.wait_for_selector("#version option[value='1.0.0']", state="attached")  # htmx filled them
    page.select_option("#version", "1.0.0")
    page.select_option("#environment", "production")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".answer")
    assert "Yes, you can deploy" in page.inner_text(".answer")
    assert "All required verification results are published and successful" in page.inner_text(".reasons")

    page.fill("#number", "1.1.0")  # a number typed in wins over the list
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


def test_the_accessibility_check_catches_what_it_should(browser, shop):
    """The axe-core check above is live: an unlabelled field and grey-on-white text are reported."""
    org, base_url, _ = shop
    page = _page(browser, base_url, org.admin.email)
    page.goto("/dashboard")
    assert axe_violations(page) == []
    page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text" name="x"><p style="color:#ccc">faint</p>');
    }""")
    found = "\\n".join(axe_violations(page))
    assert "label (critical)" in found
    assert "color-contrast (serious)" in found


FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim().slice(0, 40),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
}"""


def _tab_through(page, count: int) -> list[dict]:
    seen = []
    for _ in range(count):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


def test_the_main_pages_work_from_the_keyboard_with_a_visible_focus(browser, shop):
    org, base_url, _ = shop
    page = _page(browser, base_url, org.admin.email)
    page.goto("/dashboard")

    seen = _tab_through(page, 20)

    assert seen[0]["text"] == "Skip to content"
    assert {"q", "status"} <= {s["id"] for s in seen}  # the search field and the status filter
    assert any(s["tag"] == "button" and s["text"] == "Filter" for s in seen)
    assert any(s["tag"] == "a" and s["text"] == "Network diagram" for s in seen)
    assert [s for s in seen if not s["outline"]] == []  # every stop shows a focus outline

    # The filter works without a mouse: type, then Enter.
    page.focus("#q")
    page.keyboard.type("users")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#integrations tbody tr').length === 1")

    # Creating a token: every control of the form is reachable and labelled.
    page.goto("/account/tokens")
    page.focus("#id_name")
    page.keyboard.type("from the keyboard")
    stops = _tab_through(page, 12)  # a date-time field has a stop per part (day, month, ..., its picker)
    assert [s["id"] for s in stops[:2]] == ["id_read_only", "id_expires_at"]
    button = next(n for n, s in enumerate(stops) if s["tag"] == "button" and s["text"] == "Create token")
    first_stops = {(s["tag"], s["id"], s["text"]): s for s in reversed(stops[: button + 1])}
    assert all(s["outline"] for s in first_stops.values()), first_stops
    while page.evaluate("document.activeElement.innerText") != "Create token":
        page.keyboard.press("Shift+Tab")
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert page.input_value("#new-token-value").startswith("cbt_")
