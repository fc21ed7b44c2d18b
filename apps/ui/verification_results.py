"""Verification results people can act on: each interaction of the pact by its description, passed
or failed, and each mismatch as "at <path>: expected X, got Y".

Verifiers publish `testResults` in different shapes, all read here:

- the Rust core (pact-js 10+, pact-python 2+, pact-go 2, the CLI verifier) and pact-jvm: a list of
  `{"interactionId", "interactionDescription"?, "success", "mismatches": [...], "exceptions"?}`;
  `interactionId` is the `_id` the broker gave the interaction when it served the pact (stored in the
  content, apps/contracts/services/content.py), so the description is found in the pact;
- the Ruby verifier: `{"tests": [{"testDescription", "status": "passed"|"failed", "exception"?,
  "actualStatus", "expectedStatus", "actualBody", ...}]}` (or `examples`);
- a mismatch is `{"attribute"|"type", "identifier"|"path", "description"|"mismatch", "expected",
  "actual"}` (whichever are present).

Interactions of the pact that a result does not mention are listed as "not reported".
"""

import json
from dataclasses import dataclass, field


@dataclass
class Mismatch:
    attribute: str = ""  # body, status, header, query, metadata...
    path: str = ""
    expected: str | None = None
    actual: str | None = None
    description: str = ""


@dataclass
class Case:
    description: str
    success: bool | None  # None: not reported
    mismatches: list[Mismatch] = field(default_factory=list)
    state: str = ""


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _mismatch(item) -> Mismatch:
    if not isinstance(item, dict):
        return Mismatch(description=str(item))
    return Mismatch(
        attribute=str(item.get("attribute") or item.get("type") or ""),
        path=str(item.get("identifier") or item.get("path") or item.get("key") or ""),
        expected=_text(item.get("expected", item.get("expectedValue"))),
        actual=_text(item.get("actual", item.get("actualValue"))),
        description=str(item.get("description") or item.get("mismatch") or item.get("message") or ""),
    )


def _ruby_case(case: dict) -> Case:
    success = case.get("success")
    if success is None and "status" in case:
        success = case.get("status") == "passed"
    mismatches = [_mismatch(m) for m in case.get("mismatches") or []]
    for key in ("Status", "Headers", "Body"):
        expected, actual = case.get(f"expected{key}"), case.get(f"actual{key}")
        if success is False and (expected is not None or actual is not None) and expected != actual:
            mismatches.append(Mismatch(key.lower(), "", _text(expected), _text(actual)))
    exception = case.get("exception")
    if isinstance(exception, dict) and exception.get("message") and not mismatches:
        mismatches.append(Mismatch(description=str(exception["message"])))
    return Case(
        str(case.get("interactionDescription") or case.get("testDescription") or case.get("description") or ""),
        success,
        mismatches,
        str(case.get("interactionProviderState") or ""),
    )


def interaction_names(content: str | dict | None) -> list[tuple[str, str]]:
    """(id, description) of each interaction and message of a pact, in order."""
    if isinstance(content, str):
        try:
            content = json.loads(content)
        except ValueError:
            return []
    if not isinstance(content, dict):
        return []
    found = []
    for key in ("interactions", "messages"):
        for item in content.get(key) or []:
            if isinstance(item, dict):
                found.append((str(item.get("_id") or item.get("key") or ""), str(item.get("description") or "")))
    return found


def verification_cases(test_results, content=None) -> list[Case]:
    """Each interaction's outcome in one verification (see the module's note for the shapes)."""
    names = interaction_names(content)
    by_id = {i: d for i, d in names if i}
    cases: list[Case] = []
    if isinstance(test_results, dict):
        items = test_results.get("tests") or test_results.get("examples") or test_results.get("testResults") or []
    else:
        items = test_results or []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        if "interactionId" in item or "mismatches" in item and "testDescription" not in item:
            description = (
                item.get("interactionDescription")
                or item.get("description")
                or by_id.get(str(item.get("interactionId") or ""), "")
            )
            mismatches = [_mismatch(m) for m in item.get("mismatches") or []]
            for exception in item.get("exceptions") or []:
                mismatches.append(
                    Mismatch(description=str(exception.get("message") if isinstance(exception, dict) else exception))
                )
            cases.append(Case(str(description or item.get("interactionId") or ""), item.get("success"), mismatches))
        else:
            cases.append(_ruby_case(item))
    reported = {c.description for c in cases}
    if cases:
        cases += [Case(d, None) for _, d in names if d and d not in reported]
    return cases
