"""Browser tests' support: Debian's headless Chromium driven by Playwright, signed-in pages,
screenshots into test-artifacts/screenshots/, and axe-core accessibility checks.

Chromium comes from Debian (`apt-get install chromium`, .ci/run does it); `playwright install` is
never run. Playwright's sync API keeps an event loop in this thread, so Django's async-safety check
is relaxed while a browser runs (the live server itself runs in its own thread as usual). Start the
browser after the database fixtures and stop it before them: make the test module's `browser`
fixture depend on its data fixture.
"""

import contextlib
import os
import re
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "tests" / "e2e" / "vendor" / "axe.min.js"  # npm axe-core, pinned in tools/ui-assets
# WCAG 2.1 A and AA: labels, names, contrast, landmarks, keyboard focusability of controls.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM)


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def new_page(browser, base_url: str, *, enforce_csp: bool = False):
    """A page on the live server. The server's Content-Security-Policy forbids eval, which Playwright's
    `wait_for_function` and `add_script_tag` (axe) rely on, so it is bypassed unless `enforce_csp`
    (tests/e2e/test_csp_browser.py enforces it and waits without eval)."""
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, base_url=base_url, bypass_csp=not enforce_csp
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def sign_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(dashboard)?$"))


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def axe_violations(page, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per rule with the
    first offending elements (empty when the page passes)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """([tags, exclude]) => axe.run({exclude: exclude.map(s => [s])},
                                        {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        [AXE_TAGS, list(exclude)],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in result["violations"]
    ]


# The page's width against the viewport's, the elements reaching past the right edge outside what
# scrolls on its own (a table's frame, a code block, the drawing, the main navigation on a phone) and
# what is hidden on purpose (the skip link, screen-reader-only text), the tables scrolling sideways
# in their frame, and the right edge of the network drawing (0 without one).
_WIDTHS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.table-wrap, pre, .skip-link, .sr-only, #network, .mainnav')) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) wide.push(`${el.tagName.toLowerCase()}.${el.className}#${el.id} (${Math.round(box.right)} px)`);
  }
  const tables = [...document.querySelectorAll('.table-wrap')].filter(t => t.scrollWidth > t.clientWidth + 1).length;
  const network = document.querySelector('#network');
  return {page: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8), scrollingTables: tables,
          network: network ? network.getBoundingClientRect().right : 0};
}"""


def page_widths(page) -> dict:
    """What `_WIDTHS` measures on the page shown."""
    return page.evaluate(_WIDTHS)
