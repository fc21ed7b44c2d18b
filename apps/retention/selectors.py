"""Keep-selectors: which application versions a clean-up keeps, as SQL predicates on a version row `v`.

Modelled on the open-source broker's `clean` task (lib/pact_broker/db/clean_incremental.rb). A version
is kept when any selector matches it; the keys of one selector must all match:

- `{"latest": true}`: the pacticipant's latest version (highest order);
- `{"branch": true, "latest": true}`: the head of every branch (`"branch": "main"`: of that branch);
  `{"branch": "main"}` without `latest`: every version on that branch;
- `{"tag": true, "latest": true}`: the latest version with each tag (`"tag": "prod"`: with that tag);
  `{"tag": "prod"}` without `latest`: every version with that tag;
- `{"deployed": true}`: currently deployed versions; `{"released": true}`: released and still supported;
- `{"max_age": N}`: created less than N days ago;
- `"pacticipant": "Name"` narrows any selector to one application.

Whatever the selectors, some versions are always kept (`ALWAYS_KEEP`): those currently deployed or
supported in an environment (can-i-deploy and pacts-for-verification ask about them, with their pacts
and the verifications of their pacts) and every branch's head (a branch keeps its head). The plan's
history limit (billing/plans.py `retention_days`) caps every selector that keeps a range of history
(no `latest`, `deployed` or `released`): on a 90-day plan `{"branch": "main"}` keeps main's versions
of the last 90 days, and `{"max_age": 400}` keeps 90 days.
"""

from dataclasses import dataclass

KEYS = {"latest", "branch", "tag", "deployed", "released", "max_age", "pacticipant"}
_DEPLOYED = "EXISTS (SELECT 1 FROM environments_currentlydeployedversion c WHERE c.version_id = v.id)"
_RELEASED = (
    "EXISTS (SELECT 1 FROM environments_releasedversion r WHERE r.version_id = v.id AND r.support_ended_at IS NULL)"
)
_BRANCH_HEAD = "EXISTS (SELECT 1 FROM contracts_branchhead h WHERE h.version_id = v.id)"
ALWAYS_KEEP = f"({_DEPLOYED} OR {_RELEASED} OR {_BRANCH_HEAD})"
DEFAULT_STRUCTURAL = [
    {"branch": True, "latest": True},
    {"tag": True, "latest": True},
    {"latest": True},
    {"deployed": True},
    {"released": True},
]


class SelectorError(ValueError):
    pass


@dataclass(frozen=True)
class Predicate:
    sql: str
    params: list


def selectors_validate(value) -> list[dict]:
    """The selectors as given, checked; raises SelectorError with a message for a person."""
    if not isinstance(value, list):
        raise SelectorError("Keep-selectors must be a JSON list of objects.")
    if len(value) > 50:
        raise SelectorError("At most 50 keep-selectors.")
    for index, selector in enumerate(value, start=1):
        if not isinstance(selector, dict) or not selector:
            raise SelectorError(f"Selector {index} must be a non-empty JSON object.")
        unknown = set(selector) - KEYS
        if unknown:
            raise SelectorError(
                f"Selector {index}: unknown key(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(KEYS))}."
            )
        for key in ("latest", "deployed", "released"):
            if key in selector and selector[key] is not True:
                raise SelectorError(f"Selector {index}: {key} can only be true.")
        for key in ("branch", "tag"):
            if key in selector and not (
                selector[key] is True or (isinstance(selector[key], str) and selector[key].strip())
            ):
                raise SelectorError(f"Selector {index}: {key} is true or a name.")
        if "pacticipant" in selector and not (isinstance(selector["pacticipant"], str) and selector["pacticipant"]):
            raise SelectorError(f"Selector {index}: pacticipant is a name.")
        if "max_age" in selector:
            age = selector["max_age"]
            if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 36500:
                raise SelectorError(f"Selector {index}: max_age is a number of days (0 to 36500).")
    return value


def effective_selectors(configured: list[dict], plan_days: int | None) -> list[dict]:
    """The selectors a clean-up applies: the organisation's (or the defaults), capped by the plan."""
    selectors = list(configured) if configured else [*DEFAULT_STRUCTURAL, {"max_age": plan_days}]
    capped = []
    for selector in selectors:
        selector = dict(selector)
        if selector.get("max_age") is None:
            selector.pop("max_age", None)
        ranged = not any(selector.get(key) for key in ("latest", "deployed", "released"))
        if ranged and plan_days is not None:
            selector["max_age"] = min(selector.get("max_age", plan_days), plan_days)
        if selector:  # {"max_age": None} on a plan without limit: keeps everything
            capped.append(selector)
        else:
            capped.append({"all": True})
    return capped


def selector_predicate(selector: dict) -> Predicate:
    if selector.get("all"):
        return Predicate("TRUE", [])
    parts, params = [], []
    if "pacticipant" in selector:
        parts.append("v.pacticipant_id IN (SELECT id FROM contracts_pacticipant WHERE name = %s)")
        params.append(selector["pacticipant"])
    branch, tag, latest = selector.get("branch"), selector.get("tag"), selector.get("latest")
    if branch is not None:
        if latest:
            named = " AND h.branch_name = %s" if isinstance(branch, str) else ""
            parts.append(f"EXISTS (SELECT 1 FROM contracts_branchhead h WHERE h.version_id = v.id{named})")
        else:
            named = " AND bv.branch_name = %s" if isinstance(branch, str) else ""
            parts.append(f"EXISTS (SELECT 1 FROM contracts_branchversion bv WHERE bv.version_id = v.id{named})")
        if isinstance(branch, str):
            params.append(branch)
    if tag is not None:
        named = " AND t.name = %s" if isinstance(tag, str) else ""
        newest = (
            " AND t.version_order = (SELECT max(t2.version_order) FROM contracts_tag t2 "
            "WHERE t2.pacticipant_id = t.pacticipant_id AND t2.name = t.name)"
            if latest
            else ""
        )
        parts.append(f"EXISTS (SELECT 1 FROM contracts_tag t WHERE t.version_id = v.id{named}{newest})")
        if isinstance(tag, str):
            params.append(tag)
    if latest and branch is None and tag is None:
        parts.append(
            'v."order" = (SELECT max(v2."order") FROM contracts_version v2 WHERE v2.pacticipant_id = v.pacticipant_id)'
        )
    if selector.get("deployed"):
        parts.append(_DEPLOYED)
    if selector.get("released"):
        parts.append(_RELEASED)
    if "max_age" in selector:
        parts.append("v.created_at >= now() - make_interval(days => %s)")
        params.append(int(selector["max_age"]))
    return Predicate("(" + " AND ".join(parts or ["TRUE"]) + ")", params)


def keep_predicate(selectors: list[dict]) -> Predicate:
    """One SQL condition on `v`: true for a version the clean-up keeps."""
    parts, params = [ALWAYS_KEEP], []
    for selector in selectors:
        predicate = selector_predicate(selector)
        parts.append(predicate.sql)
        params.extend(predicate.params)
    return Predicate("(" + " OR ".join(parts) + ")", params)
