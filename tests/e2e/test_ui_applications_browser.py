"""Issue 19 in a real browser (Chromium): applications first, can-i-deploy in one click, a dashboard
that fits 1440 px, verification results people can act on, environments as a grid; every page
touched measured at 1440 and 390 px (no element wider than the viewport outside a scrolling table)
and checked with axe-core. Two tests, each one browser and one seeded organisation."""

import json

import pytest
from django_tenants.utils import schema_context

from tests.support.browser import axe_violations, chromium, chromium_available, new_page, page_widths, shot, sign_in
from tests.support.factories import verification_publish
from tests.support.ui_seed import network_seed, ui_world_seed

pytestmark = pytest.mark.e2e

if not chromium_available():  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)

PAGES = {
    "dashboard": "/dashboard",
    "applications": "/ui/applications",
    "application": "/ui/applications/Web",
    "can-i-deploy": "/ui/can-i-deploy?pacticipant=Web",
    "contract": "/ui/pacts/provider/Users/consumer/Web",
    "environments": "/ui/environments",
    "settings-environments": "/settings/environments",
}


@pytest.fixture
def world(live_acme):
    from apps.accounts import services

    org, base_url = live_acme
    with schema_context(org.schema):
        ui_world_seed()
        # Users' verification of Web's pact, as the Rust verifier reports it.
        verification_publish(
            "Web",
            "1.1.0",
            "Users",
            "8",
            success=False,
            test_results=[
                {
                    "interactionDescription": "a request for a user",
                    "success": False,
                    "mismatches": [
                        {"attribute": "body", "identifier": "$.name", "expected": "Ann", "actual": "Bob"},
                    ],
                }
            ],
        )
        services.user_create(
            email="viewer@acme.example",
            name="V",
            password="correct-horse-battery",
            email_confirmed=True,
            roles=[services.builtin_role("viewer")],
        )
    return org, base_url


@pytest.fixture
def browser(world):
    with chromium() as started:
        yield started


def test_every_page_fits_1440_and_390_pixels_and_passes_axe(browser, world):
    org, base_url = world
    page = new_page(browser, base_url)
    sign_in(page, org.admin.email, "correct-horse-battery")
    problems = {}
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in PAGES.items():
            assert page.goto(path).status == 200, path
            measured = page_widths(page)
            if measured["page"] > measured["width"] or measured["wide"]:
                problems[f"{path} at {width}"] = measured
            if width == 1440 and name == "dashboard" and measured["scrollingTables"]:
                problems[f"{path}: the table scrolls sideways at 1440"] = measured
            shot(page, f"issue19-{name}-{width}")
            if width == 1440:
                found = axe_violations(page)
                if found:
                    problems[f"{path}: axe"] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def test_the_journeys_of_issue_19(browser, world):
    org, base_url = world
    with schema_context(org.schema):
        network_seed(nodes=30, integrations=60)  # 64 integrations: two pages of the dashboard
    page = new_page(browser, base_url)
    sign_in(page, org.admin.email, "correct-horse-battery")

    # 1. Can I deploy, one click from an application's page, lands on an answer.
    page.goto("/ui/applications/Web")
    page.click(".page-head a:has-text('Can I deploy?')")
    page.wait_for_selector(".answer")
    assert page.url.endswith("/ui/can-i-deploy?pacticipant=Web")
    assert page.locator("#version option:checked").inner_text() == "Latest on branch main (main branch): 1.1.0"
    assert page.locator("#environment option:checked").inner_text() == "Production (production)"
    labels = page.locator("#version option").all_inner_texts()
    assert "The version now in Production: 1.0.0" in labels
    assert "1.0.0 · ⎇ main · # prod · in Production" in labels
    assert "Users" in page.locator("table.counterparts").inner_text()
    page.select_option("#version", "@deployed:production")
    page.select_option("#environment", "test")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector(".answer")
    assert "version=%40deployed%3Aproduction" in page.url
    page.goto("/ui/can-i-deploy?pacticipant=Orders")  # the environment asked about last is the default
    assert page.locator("#environment option:checked").inner_text() == "Test"

    # 2. Applications: favourites first.
    page.goto("/ui/applications?q=Web")
    page.click("button.star[aria-label='Favourite: Web']")
    page.wait_for_selector("button.star[aria-pressed=true]")
    page.goto("/ui/applications")
    assert page.locator(".tile h2").first.inner_text() == "Web"
    assert page.goto("/ui/pacticipants").url.endswith("/ui/applications")

    # 3. The dashboard: a summary count filters; paging returns to the top of the table.
    page.goto("/dashboard")
    page.click(".summary a.summary-failed")
    page.wait_for_function("location.search.includes('status=failed')")
    page.wait_for_function(
        "[...document.querySelectorAll('#integrations tbody tr td:nth-child(4)')].every(td => td.innerText.includes('Failed'))"
    )
    page.goto("/dashboard")
    page.locator(".pager a[rel=next]").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 500
    page.click(".pager a[rel=next]")
    page.wait_for_selector(".pager a[rel=prev]")
    top = page.evaluate("document.querySelector('#integrations').getBoundingClientRect().top")
    assert 0 <= top < 200, top

    # 4. The contract page names each interaction and shows the mismatch.
    page.goto("/ui/pacts/provider/Users/consumer/Web")
    results = page.locator("#verifications ~ .table-wrap").first.inner_text()
    assert "a request for a user" in results and "$.name" in results
    assert page.locator("code.expected", has_text="Ann").count() >= 1
    assert page.locator("code.actual", has_text="Bob").count() >= 1

    # 5. Environments: create one in Settings; the grid gets a column and highlights drift.
    page.goto("/settings/environments")
    page.fill("#id_name", "staging")
    page.click("text=Create environment")
    page.wait_for_selector("text=Environment “Staging” created.")
    page.goto("/ui/environments")
    assert "staging" in page.locator("table.env-grid thead").inner_text().lower()
    assert page.locator("table.env-grid td.differs").count() == 2
    assert page.locator("table.env-grid tr.drifted").count() == 2
    shot(page, "issue19-environments-after")
