"""Issue 19 item 9: every page of the UI in Chromium at 390 px and 1440 px is no wider than the
screen (document scrollWidth ≤ viewport width: long SHAs, names and codes wrap; tables scroll in
their own frame), and axe-core finds no WCAG 2.1 A/AA violation at 1440 px.

The list of pages is checked against the URL resolver: every route served by a page module
(`PAGE_MODULES`) must be in `PAGES` (visited, placeholders filled with real objects) or in
`NOT_PAGES` (with the reason), so a new page cannot be forgotten.
"""

import json

import pytest
from django.urls import URLResolver, get_resolver
from django_tenants.utils import schema_context

from tests.support.browser import (
    SCREENSHOTS,
    axe_violations,
    chromium,
    chromium_available,
    new_page,
    page_widths,
    shot,
    sign_in,
)
from tests.support.factories import pact_publish
from tests.support.message_pacts import grpc_pact, v3_message_pact
from tests.support.ui_seed import ui_world_seed

pytestmark = pytest.mark.e2e

PAGE_MODULES = (
    "apps.ui.views",
    "apps.accounts.views",
    "billing.views.subscription",
    "sso.views",
    "tenants.views",
    "apps.broker_import.views",
    "apps.portability.views",
    "apps.retention.views",
)

# Route name -> path; "{name}" placeholders are filled from the world fixture.
PAGES = {
    "index": "/",
    "ui-dashboard": "/dashboard",
    "dashboard-integration": "/dashboard/provider/Orders/consumer/Web",
    "ui-network": "/ui/network",
    "ui-applications": "/ui/applications",
    "ui-application": "/ui/applications/Orders",
    "ui-pacticipants-moved": "/ui/pacticipants",
    "ui-pacticipant-moved": "/ui/pacticipants/Web",
    "ui-pact": "/ui/pacts/provider/Orders/consumer/Web",
    "ui-pact-version": "/ui/pacts/provider/Orders/consumer/Web/version/1.0.0",
    "ui-pact-diff": "/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0",
    "ui-provider-contract": "/ui/provider-contracts/provider/Pets/version/1",
    "ui-matrix": "/ui/matrix?consumer=Web&provider=Orders",
    "ui-can-i-deploy": "/ui/can-i-deploy?pacticipant=Web",
    "ui-environments": "/ui/environments",
    "ui-webhooks": "/ui/webhooks",
    "ui-webhook-new": "/ui/webhooks/new",
    "ui-webhook": "/ui/webhooks/{webhook}",
    "ui-settings": "/settings",
    "ui-secrets": "/settings/secrets",
    "ui-settings-environments": "/settings/environments",
    "ui-settings-environment": "/settings/environments/{environment}",
    "account-password": "/account/password",
    "account-tokens": "/account/tokens",
    "organisation-users": "/organisation/users",
    "organisation-user": "/organisation/users/{user}",
    "organisation-system-accounts": "/organisation/system-accounts",
    "organisation-system-account": "/organisation/system-accounts/{system_account}",
    "organisation-roles": "/organisation/roles",
    "organisation-role": "/organisation/roles/{role}",
    "organisation-teams": "/organisation/teams",
    "organisation-team": "/organisation/teams/{team}",
    "organisation-audit": "/organisation/audit",
    "billing-subscription": "/settings/subscription",
    "sso-settings": "/settings/sso",
    "broker-import": "/settings/import",
    "organisation-settings": "/settings/organisation",
    "portability-data": "/settings/data",
    "retention-settings": "/settings/retention",
    "settings-preferences": "/settings/preferences",
}
# Extra visits of pages already listed, with other content: message and plugin pacts.
MORE = {
    "contract with messages": "/ui/pacts/provider/OrderEvents/consumer/Shop",
    "contract with gRPC": "/ui/pacts/provider/OrderService/consumer/Checkout",
}
# Pages for signed-out visitors (visited without a session).
SIGNED_OUT = {
    "login": "/login",
    "password-reset": "/password-reset",
    "password-reset-done": "/password-reset/sent",
    "password-reset-complete": "/password-reset/done",
    "password_reset_confirm": "/password-reset/MQ/not-a-token",
    "invitation-accept": "/invitations/not-a-token",
}
NOT_PAGES = {
    "hal-browser": "the broker's HAL browser: a public shell its script fills from the API (tests/contracts/api/test_index.py)",
    "logout": "POST: signs out",
    "signup-confirm": "a one-time link from the sign-up email (tests/tenants)",
    "ui-favourite": "POST from the applications list",
    "ui-version-options": "an htmx fragment: the version choices of the can-i-deploy form",
    "ui-webhook-test": "POST: the Test button",
    "ui-webhook-delete": "POST: the Delete button",
    "organisation-audit-export": "a CSV/JSON download",
    "billing-checkout": "POST: redirects to Stripe",
    "billing-portal": "POST: redirects to Stripe",
    "billing-plan": "POST",
    "billing-seats": "POST",
    "saml-metadata": "XML for the identity provider",
    "saml-login": "redirect to the identity provider",
    "saml-acs": "SAML POST binding",
    "saml-sls": "SAML logout binding",
    "saml-logout": "redirect to the identity provider",
    "begin": "OAuth redirect",
    "complete": "OAuth callback",
    "sso-policy-update": "POST",
    "sso-saml-update": "POST",
    "sso-oauth-update": "POST",
    "organisation-close": "POST",
    "organisation-reopen": "POST",
    "portability-export": "POST",
    "portability-download": "a .tar.gz download",
    "retention-update": "POST",
    "retention-dry-run": "POST",
}


if not chromium_available():  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


def _page_routes() -> set[str]:
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            else:
                yield pattern

    return {
        pattern.name
        for pattern in walk(get_resolver("config.urls_tenant").url_patterns)
        if pattern.callback.__module__.startswith(PAGE_MODULES)
    }


def test_every_page_route_is_visited_or_says_why_not():
    listed = set(PAGES) | set(SIGNED_OUT) | set(NOT_PAGES)

    assert _page_routes() - listed == set(), "pages missing from PAGES, SIGNED_OUT or NOT_PAGES"
    assert listed - _page_routes() == set(), "entries for routes that no longer exist"


@pytest.fixture
def world(live_acme, monkeypatch):
    from apps.accounts import services
    from apps.accounts.models import Role, Team
    from apps.environments.models import Environment
    from apps.provider_contracts import queueing
    from tenants.models import Tenant
    from tests.provider_contracts.support import pact_publish_via_api, pets_pact, provider_contract_post, publish_body

    org, base_url = live_acme
    Tenant.objects.filter(pk=org.tenant.pk).update(plan="team")  # system accounts and secrets
    monkeypatch.setattr(queueing, "queue_or_run", queueing.task_run)
    with schema_context(org.schema):
        seeded = ui_world_seed()
        long_sha = "9f2c4e7a1b3d5f6e8a0c2e4f6a8b0d2f4e6a8c0b"
        pact_publish("Web", long_sha, "Orders", branch="feature/a-rather-long-branch-name-for-narrow-screens")
        pact_publish("Shop", "1.0.0", "OrderEvents", content=v3_message_pact("Shop", "OrderEvents"))
        pact_publish("Checkout", "3.1.0", "OrderService", content=grpc_pact("Checkout", "OrderService"))
        viewer = services.user_create(
            email="a.person.with.a.long.address@subdomain.acme.example",
            name="Viewer",
            password="correct-horse-battery",
            email_confirmed=True,
            roles=[services.builtin_role("viewer")],
        )
        bot = services.system_account_create(actor=None, name="ci-bot")
        role = Role.objects.get(key="viewer")
        team = Team.objects.order_by("pk").first()
        environment = Environment.objects.get(name="production")
        services.team_create(actor=org.admin, name="Payments")  # an audit entry or two
    client = org.client()
    pact_publish_via_api(client, pets_pact("Web"), consumer="Web")
    provider_contract_post(client, publish_body(version="1"))
    values = {
        "webhook": str(seeded["webhook"].uuid),
        "environment": str(environment.uuid),
        "user": str(viewer.uuid),
        "system_account": str(bot.uuid),
        "role": str(role.uuid),
        "team": str(team.uuid),
    }
    return org, base_url, values


@pytest.fixture
def browser(world):
    with chromium() as started:
        yield started


def _visit(page, path: str, width: int, problems: dict, *, axe: bool, label: str) -> None:
    response = page.goto(path)
    if response is None or response.status not in (200, 400):
        problems[f"{path}"] = f"status {response.status if response else 'none'}"
        return
    measured = page_widths(page)
    if measured["page"] > measured["width"]:
        problems[f"{path} at {width} px"] = measured
    if axe:
        found = axe_violations(page)
        if found:
            problems[f"{path}: axe"] = found
    if label.startswith("contract with"):
        shot(page, f"issue19-{label.replace(' ', '-')}-{width}")


def test_every_page_fits_390_and_1440_pixels_and_passes_axe(browser, world):
    org, base_url, values = world
    signed_in = new_page(browser, base_url)
    sign_in(signed_in, org.admin.email, "correct-horse-battery")
    signed_out = new_page(browser, base_url)
    problems = {}
    for width in (390, 1440):
        for page, pages in ((signed_in, {**PAGES, **MORE}), (signed_out, SIGNED_OUT)):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in pages.items():
                _visit(page, path.format(**values), width, problems, axe=width == 1440, label=name)
    if problems:
        (SCREENSHOTS.parent / "every-page-problems.json").write_text(json.dumps(problems, indent=1, ensure_ascii=False))
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_message_and_grpc_contracts_read_in_the_browser(browser, world):
    org, base_url, _ = world
    page = new_page(browser, base_url)
    sign_in(page, org.admin.email, "correct-horse-battery")

    page.goto("/ui/pacts/provider/OrderService/consumer/Checkout")
    grpc = page.locator("article.interaction", has_text="get order request")
    assert grpc.locator("h3 .badge").all_inner_texts() == ["Synchronous message", "gRPC"]
    assert '"status": "STATUS_SHIPPED"' in grpc.locator(".part").nth(1).locator("pre").inner_text()
    markup = grpc.locator("details.markup")
    assert not markup.locator("pre").first.is_visible()  # decoded: the plugin's markup stays folded
    markup.locator("summary").click()
    assert markup.locator("pre code.language-protobuf").first.inner_text().startswith("message GetOrderRequest {")
    rules = grpc.locator("details.rules")
    rules.locator("summary").click()
    assert rules.locator("tbody tr").first.inner_text().split("\t") == [
        "Request body",
        "$.id",
        "regex (regex ^o-\\d+$)",
    ]
    avro = page.locator("article.interaction", has_text="a stock level record")
    assert avro.locator("details.markup strong").inner_text() == "StockLevel"  # open: the contents are hex
    assert avro.locator("pre").first.inner_text().startswith("00000000  06 41 2d 31 0e")
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0  # the markup's script stays text

    page.goto("/ui/pacts/provider/OrderEvents/consumer/Shop")
    event = page.locator("article.interaction", has_text="an order created event")
    assert event.locator(".kv").inner_text().splitlines() == [
        "contentType: application/json",
        "topic: orders.created",
        "kafka_partition: 3",
    ]
    assert event.locator("ul.states li").inner_text().startswith("Given an order with lines")


def test_the_navigation_folds_behind_a_menu_button_on_a_phone(browser, world):
    org, base_url, _ = world
    page = new_page(browser, base_url, enforce_csp=True)  # nav.js is a file: the strict CSP allows it
    sign_in(page, org.admin.email, "correct-horse-battery")
    page.goto("/ui/applications")
    toggle, nav = page.locator("button.navtoggle"), page.locator("#mainnav")
    assert not toggle.is_visible() and nav.locator("a", has_text="Matrix").is_visible()  # 1440 px: all links

    page.set_viewport_size({"width": 390, "height": 800})
    assert toggle.inner_text() == "Menu · Applications" and toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.locator("a").all_inner_texts()[:3] == ["Dashboard", "Applications", "Network"]
    box = nav.locator("a", has_text="Settings").bounding_box()
    assert box["x"] + box["width"] <= 390  # one link a line, none off the screen
    nav.locator("a", has_text="Matrix").click()
    page.wait_for_url("**/ui/matrix")
    assert page.locator("button.navtoggle").inner_text() == "Menu · Matrix"
