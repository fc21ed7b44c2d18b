"""Issue 19 item 7 in a real browser (Chromium): the network diagram stays legible at 200
applications. fCoSE lays the graph out with no two application boxes overlapping (measured with
cytoscape's own bounding boxes), "Find an application" focuses on one with its neighbours (the rest
faded), the zoom buttons and the mouse wheel change the zoom level, Fit brings the whole graph
back; the page passes axe-core and is no wider than the viewport at 1440 and 390 px."""

import json

import pytest
from django_tenants.utils import schema_context

from tests.support.browser import axe_violations, chromium, chromium_available, new_page, page_widths, shot, sign_in
from tests.support.ui_seed import network_seed

pytestmark = pytest.mark.e2e

if not chromium_available():  # pragma: no cover - .ci/run installs it
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)

LAYOUT_BUDGET_MS = 5000  # fCoSE and the overlap pass alone (2.3 s measured here with a load average of 7)

# Pairs of application boxes that intersect (cytoscape's model coordinates, label included).
OVERLAPS = """() => {
  const boxes = window.brokerNetwork.nodes().map(n => [n.data('name'), n.boundingBox({includeLabels: true})]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, p] = boxes[i], [b, q] = boxes[j];
    if (p.x1 < q.x2 && q.x1 < p.x2 && p.y1 < q.y2 && q.y1 < p.y2) hits.push(a + ' × ' + b);
  }
  return hits;
}"""


@pytest.fixture
def web(live_acme):
    org, base_url = live_acme
    with schema_context(org.schema):
        pairs = network_seed(nodes=200, integrations=400)
        org.admin.set_password("correct-horse-battery")
        org.admin.save()
    return org, base_url, pairs


@pytest.fixture
def browser(web):
    with chromium() as started:
        yield started


def _open(page, path: str = "/ui/network") -> None:
    page.goto(path)
    page.wait_for_selector("#network[data-laid-out=true]", timeout=30000)


def test_two_hundred_applications_are_laid_out_without_overlaps_searchable_zoomable_and_fit_the_screen(web, browser):
    org, base_url, pairs = web
    page = new_page(browser, base_url)
    sign_in(page, org.admin.email, "correct-horse-battery")
    _open(page)

    graph = page.evaluate("""() => {
        const cy = window.brokerNetwork, box = cy.elements().renderedBoundingBox();
        return {nodes: cy.nodes().length, edges: cy.edges().length, layoutMs: window.brokerNetworkLayoutMs,
                layout: typeof window.cytoscapeFcose, width: cy.width(), height: cy.height(),
                box: {x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2}};
    }""")
    assert graph["nodes"] == 200 and graph["edges"] == 400
    assert graph["layout"] == "function"  # the fCoSE extension is loaded (vendored)
    assert graph["layoutMs"] < LAYOUT_BUDGET_MS, f"the layout took {graph['layoutMs']:.0f} ms"
    assert page.evaluate(OVERLAPS) == []
    box = graph["box"]  # the whole graph fits in its box
    assert box["x1"] >= -2 and box["y1"] >= -2
    assert box["x2"] <= graph["width"] + 2 and box["y2"] <= graph["height"] + 2
    shot(page, "issue19-network-200")

    # Find an application: it and its neighbours are shown, the rest faded, the view fitted to them.
    consumers = sorted({c for c, p in pairs if p == "App042"})
    providers = sorted({p for c, p in pairs if c == "App042"})
    zoom_all = page.evaluate("window.brokerNetwork.zoom()")
    page.fill("#network-find", "app042")
    page.click("#network-search button[type=submit]")
    focused = page.evaluate("""() => {
        const cy = window.brokerNetwork, ext = cy.extent();
        const inView = n => { const p = n.position(); return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2; };
        return {focused: cy.nodes('.focused').map(n => n.data('name')),
                clear: cy.nodes().not('.faded').map(n => n.data('name')).sort(),
                faded: cy.nodes('.faded').length,
                allInView: cy.nodes().not('.faded').every(inView), zoom: cy.zoom()};
    }""")
    assert focused["focused"] == ["App042"]
    assert focused["clear"] == sorted({"App042", *consumers, *providers})
    assert focused["faded"] == 200 - len(focused["clear"])
    assert focused["allInView"] and focused["zoom"] > zoom_all
    status = page.inner_text("#network-status")
    assert status == (
        f"App042: {len(consumers)} consumer{'s' if len(consumers) != 1 else ''}, "
        f"{len(providers)} provider{'s' if len(providers) != 1 else ''}; the other applications are faded."
    )
    assert "focus=App042" in page.url
    shot(page, "issue19-network-focus")

    # An unknown name says so; Show all brings every application back.
    page.fill("#network-find", "Nope")
    page.click("#network-search button[type=submit]")
    assert page.inner_text("#network-status") == "No application matches “Nope”."
    page.click("#network-show-all")
    assert page.evaluate("window.brokerNetwork.nodes('.faded').length") == 0
    assert page.inner_text("#network-status") == "All 200 applications."
    assert "focus=" not in page.url

    # Zoom: the buttons, the mouse wheel, Fit.
    before = page.evaluate("window.brokerNetwork.zoom()")
    page.click("#network-zoom-in")
    after_in = page.evaluate("window.brokerNetwork.zoom()")
    assert after_in == pytest.approx(before * 1.25)
    page.click("#network-zoom-out")
    page.click("#network-zoom-out")
    assert page.evaluate("window.brokerNetwork.zoom()") == pytest.approx(before * 1.25 * 0.8 * 0.8)
    area = page.locator("#network").bounding_box()
    page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    wheel_before = page.evaluate("window.brokerNetwork.zoom()")
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(300)
    assert page.evaluate("window.brokerNetwork.zoom()") > wheel_before
    page.click("#network-fit")
    assert page.evaluate("window.brokerNetwork.zoom()") == pytest.approx(before, rel=0.01)

    # The address opens the page focused.
    _open(page, "/ui/network?focus=App007")
    assert page.evaluate("window.brokerNetwork.nodes('.focused').map(n => n.data('name'))") == ["App007"]
    assert page.input_value("#network-find") == "App007"

    # Widths and axe-core at 1440 and 390 px (the same seeded organisation: seeding 400 pacts is slow).
    problems = {}
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _open(page)
        measured = page_widths(page)
        if measured["page"] > measured["width"] or measured["wide"] or measured["network"] > measured["width"]:
            problems[f"network at {width}"] = measured
        assert page.evaluate(OVERLAPS) == [], width
        shot(page, f"issue19-network-{width}")
        found = axe_violations(page)
        if found:
            problems[f"axe at {width}"] = found
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)
