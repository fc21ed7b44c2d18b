"""Relative links in README.md and docs/*.md lead to files that exist and to headings that exist
(anchors slugged as GitHub slugs them), so moving a section cannot leave a dead link behind."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^(```|~~~)")


def outside_code_blocks(path: Path) -> list[str]:
    """The page's lines outside fenced and indented code blocks."""
    lines, fenced = [], False
    for line in path.read_text().splitlines():
        if _FENCE.match(line.lstrip()):
            fenced = not fenced
        elif not fenced and not line.startswith("    "):
            lines.append(line)
    return lines


def prose(path: Path) -> str:
    """The page without code (blocks or inline), where brackets are not links."""
    return "\n".join(re.sub(r"`[^`]*`", "", line) for line in outside_code_blocks(path))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for line in outside_code_blocks(path):
        match = re.match(r"#{1,6} (.+)", line)
        if not match:
            continue
        base = slug(re.sub(r"#+$", "", match.group(1)))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def page_links():
    for page in PAGES:
        for target in _LINK.findall(prose(page)):
            if not re.match(r"[a-z]+:", target):
                yield pytest.param(page, target, id=f"{page.relative_to(ROOT)} -> {target}")


def test_the_slug_is_githubs():
    heading = "The outbox: no event lost (`apps/webhooks/outbox.py`)"
    assert slug(heading) == "the-outbox-no-event-lost-appswebhooksoutboxpy"
    assert slug("6. Monitoring") == "6-monitoring"
    assert slug("People, roles and tokens") == "people-roles-and-tokens"


@pytest.mark.parametrize(("page", "target"), list(page_links()))
def test_a_relative_link_leads_somewhere(page, target):
    path, _, anchor = target.partition("#")
    destination = (page.parent / path).resolve() if path else page
    assert destination.exists(), f"{page.relative_to(ROOT)} links to {path}, which does not exist"
    if anchor and destination.suffix == ".md":
        assert anchor in anchors(destination), (
            f"{page.relative_to(ROOT)} links to #{anchor}, which is no heading of {destination.relative_to(ROOT)}"
        )
