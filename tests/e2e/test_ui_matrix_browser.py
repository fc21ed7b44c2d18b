"""Issue 19 item 6 in a real browser (Chromium): the matrix page filtered and paged, with no
verdict unless an environment to deploy to is chosen; no wider than the viewport at 1440 and
390 px, and axe-core clean, with and without a verdict."""

import json

import pytest
from django_tenants.utils import schema_context

from tests.support.browser import axe_violations, chromium, chromium_available, new_page, page_widths, shot, sign_in
from tests.support.factories import pact_publish, verification_publish
from tests.support.ui_seed import ui_world_seed

pytestmark = pytest.mark.e2e

if not chromium_available():  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


@pytest.fixture
def world(live_acme):
    org, base_url = live_acme
    with schema_context(org.schema):
        ui_world_seed()
        for n in range(60):  # 60 versions of Web on branch feat-x (with a long name), verified by Orders
            pact_publish("Web", f"5.{n}", "Orders", branch="feature/a-rather-long-branch-name", tags=["beta"])
            verification_publish("Web", f"5.{n}", "Orders", "9.0.0", success=n % 5 != 0)
        org.admin.set_password("correct-horse-battery")
        org.admin.save()
    return org, base_url


@pytest.fixture
def browser(world):
    with chromium() as started:
        yield started


def test_the_matrix_is_filtered_and_paged_and_gives_a_verdict_only_when_asked(world, browser):
    org, base_url = world
    page = new_page(browser, base_url)
    sign_in(page, org.admin.email, "correct-horse-battery")

    page.goto("/ui/matrix")
    page.select_option("#consumer", "Web")
    page.select_option("#provider", "Orders")
    page.fill("#consumer_branch", "feature/a-rather-long-branch-name")
    page.click("form.matrix-filters button[type=submit]")
    page.wait_for_selector(".pager")
    assert page.locator("table tbody tr").count() == 50
    assert page.locator(".answer").count() == 0
    assert "No verdict" in page.inner_text(".no-verdict")
    assert page.locator("nav.pager").first.inner_text().strip().startswith("Rows 1–50 of 60 · page 1 of 2")
    page.click("nav.pager >> nth=0 >> a[rel=next]")
    page.wait_for_url("**page=2**")
    assert page.locator("table tbody tr").count() == 10
    assert page.input_value("#consumer_branch") == "feature/a-rather-long-branch-name"  # the filters are kept
    assert "Rows 51–60 of 60" in page.locator("nav.pager").first.inner_text()

    # An environment to deploy to: the verdict.
    page.goto("/ui/matrix?consumer=Web&consumer_version=1.0.0&to=production")
    assert page.inner_text(".answer strong") == "Yes, you can deploy"

    problems = {}
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in {
            "browse": "/ui/matrix?consumer=Web&provider=Orders&consumer_branch=feature/a-rather-long-branch-name",
            "verdict": "/ui/matrix?consumer=Web&consumer_version=1.1.0&to=production",
        }.items():
            assert page.goto(path).status == 200, path
            measured = page_widths(page)
            if measured["page"] > measured["width"] or measured["wide"]:
                problems[f"{name} at {width}"] = measured
            shot(page, f"issue19-matrix-{name}-{width}")
            found = axe_violations(page)
            if found:
                problems[f"{name} at {width}: axe"] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
