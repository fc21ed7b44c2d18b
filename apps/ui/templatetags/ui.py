"""Template helpers of the web UI."""

import json
from urllib.parse import urlsplit

from django import template

register = template.Library()


@register.filter
def http_url(value) -> str:
    """The value if it is an http(s) URL, else "" (a stored `javascript:` URL never becomes a link)."""
    if not isinstance(value, str):
        return ""
    try:
        return value if urlsplit(value.strip()).scheme.lower() in ("http", "https") else ""
    except ValueError:
        return ""


@register.filter
def as_json(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@register.filter
def test_cases(test_results) -> list[dict]:
    """Test results as reported by the Pact verifiers (`tests[]`, or the Ruby verifier's
    `examples[]`) as rows with a description, success and mismatches; [] when not recognised."""
    if not isinstance(test_results, dict):
        return []
    cases = test_results.get("tests") or test_results.get("examples") or []
    rows = []
    for case in cases if isinstance(cases, list) else []:
        if not isinstance(case, dict):
            continue
        description = case.get("testDescription") or case.get("description") or case.get("interactionDescription")
        success = case.get("success")
        if success is None and "status" in case:
            success = case.get("status") == "passed"
        mismatches = case.get("mismatches") or case.get("exception") or []
        rows.append(
            {
                "description": description or "(no description)",
                "success": success,
                "mismatches": mismatches if isinstance(mismatches, list) else [mismatches],
            }
        )
    return rows


@register.filter
def get(mapping, key):
    """`mapping|get:key`: a dictionary's value by a key held in a variable."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def short_version(value) -> str:
    """A long version (a Git SHA) as its first 7 characters, the usual short SHA; another long
    version cut at 12 characters. The full number goes in a title and a copy button."""
    value = str(value)
    if len(value) <= 12:
        return value
    if all(c in "0123456789abcdefABCDEF" for c in value):
        return value[:7]
    return value[:11] + "…"


@register.filter
def upto(value, delimiter):
    """The text before the first `delimiter` ("3 days, 4 hours" -> "3 days")."""
    return str(value).split(delimiter)[0]
