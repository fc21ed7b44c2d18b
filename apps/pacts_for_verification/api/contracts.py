"""The pacts-for-verification request: consumer version selectors and options, parsed and validated.

Validation follows the Ruby broker's `PactsForVerificationJSONQuerySchema` and
`ConsumerVersionSelectorContract`: the same keys, the same rules in the same order, the same texts
(`lib/pact_broker/locale/en.yml`). Selector errors are reported under `consumerVersionSelectors`
with " (at index N)" appended, as the broker flattens them. A request that fails validation is a
400 before the provider is even looked up (Webmachine checks `malformed_request?` first).

The deprecated GET form carries the same options as a Rack-style snake_case query string
(`consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true`).
"""

from dataclasses import replace
from datetime import UTC, date, datetime, time

from apps.core.rack import parse_nested_query
from apps.pacts_for_verification.selection import Query, Selector

BRANCH_KEYS = ["latest", "tag", "fallbackTag", "branch", "fallbackBranch", "matchingBranch", "mainBranch"]
ENVIRONMENT_KEYS = ["environment", "deployed", "released", "deployedOrReleased"]
ALL_KEYS = BRANCH_KEYS + ENVIRONMENT_KEYS + ["consumer"]

MESSAGES = {
    "blank": "cannot be blank",
    "fallback_tag": "fallbackTag can only be set if latest is true",
    "matching_branch_requires_provider_version_branch": "the providerVersionBranch must be specified when the selector matchingBranch=true is used",
    "tag_and_branch_disallowed": "cannot specify both a tag and a branch",
    "fallback_tag_requires_tag": "a tag must be specified when a fallbackTag is specified",
    "fallback_branch_requires_branch": "a branch must be specified when a fallbackBranch is specified",
    "branch_and_latest_false_disallowed": "cannot specify a branch with latest=false",
    "main_branch_and_latest_false_disallowed": "cannot specify mainBranch=true with latest=false",
    "fallback_branch_and_latest_false_disallowed": "fallbackBranch can only be set if latest is true",
    "required_params_missing": "must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, "
    "latest=true, deployed=true, released=true or deployedOrReleased=true",
    "main_branch_with_other_param_disallowed": "cannot specify mainBranch=true with any other criteria apart from consumer",
    "matching_branch_with_other_param_disallowed": "cannot specify matchingBranch=true with any other criteria apart from consumer",
    "deployed_and_released_disallowed": "cannot specify both deployed=true and released=true",
    "deployed_and_deployed_or_released_disallowed": "cannot specify both deployed=true and deployedOrReleased=true",
    "released_and_deployed_or_released_disallowed": "cannot specify both released=true and deployedOrReleased=true",
    "provider_version_branch_empty": "when pending or WIP pacts are enabled and there are no tags provided, the provider version branch must "
    "not be an empty string, as it is used in the calculations for WIP/pending. A value must be provided "
    "(recommended), or it must not be set at all.",
}


class Invalid(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _provided(value) -> bool:
    if isinstance(value, str):
        return value.strip() != ""
    return value is not None


def _blank(value) -> bool:
    return isinstance(value, str) and value.strip() == ""


def _pluralize(word: str, count: int) -> str:
    return word if count == 1 else f"{word}s"


def _parse_date(value) -> datetime | None:
    """A date or date-time (the broker parses it with DateTime.parse); None when it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(text), time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _schema_errors(selector: dict) -> list[str]:
    """Type checks of the selector schema (dry-types messages, prefixed with the key)."""
    errors = []

    def check(key, ok, message):
        if key in selector and not ok(selector[key]):
            errors.append(f"{key} {'must be filled' if selector[key] is None else message}")

    check("mainBranch", lambda v: v is True, "must be one of: true")
    check("tag", lambda v: isinstance(v, str) and v != "", "must be a string")
    check(
        "branch",
        lambda v: (isinstance(v, str) and v != "") or v is True,
        "must be a string or branch must be equal to true",
    )
    check("matchingBranch", lambda v: v is True, "must be one of: true")
    check("latest", lambda v: v is True or v is False, "must be one of: true, false")
    check("fallbackTag", lambda v: isinstance(v, str) and v != "", "must be a string")
    check("fallbackBranch", lambda v: isinstance(v, str) and v != "", "must be a string")
    check("consumer", lambda v: isinstance(v, str) and v != "", "must be a string")
    check("deployed", lambda v: v is True, "must be one of: true")
    check("released", lambda v: v is True, "must be one of: true")
    check("deployedOrReleased", lambda v: v is True, "must be one of: true")
    check("environment", lambda v: isinstance(v, str) and v != "", "must be a string")
    return errors


def _selector_errors(values: dict, parent: dict, environment_exists) -> list[str]:
    """The rules of `ConsumerVersionSelectorContract`, in its order."""
    errors = []
    present = {key: values[key] for key in ALL_KEYS if key in values}
    if _blank(values.get("consumer")):
        errors.append(f"consumer {MESSAGES['blank']}")
    if (
        not _provided(values.get("mainBranch"))
        and not _provided(values.get("tag"))
        and not _provided(values.get("branch"))
        and not _provided(values.get("environment"))
        and values.get("matchingBranch") is not True
        and values.get("deployed") is not True
        and values.get("released") is not True
        and values.get("deployedOrReleased") is not True
        and values.get("latest") is not True
    ):
        errors.append(MESSAGES["required_params_missing"])
    if values.get("mainBranch") and set(present) - {"consumer", "mainBranch", "latest"}:
        errors.append(MESSAGES["main_branch_with_other_param_disallowed"])
    if values.get("mainBranch") and values.get("latest") is False:
        errors.append(MESSAGES["main_branch_and_latest_false_disallowed"])
    if values.get("matchingBranch") and set(present) - {"consumer", "matchingBranch"}:
        errors.append(MESSAGES["matching_branch_with_other_param_disallowed"])
    if values.get("matchingBranch") and not _provided(parent.get("providerVersionBranch")):
        errors.append(MESSAGES["matching_branch_requires_provider_version_branch"])
    if values.get("tag") and values.get("branch"):
        errors.append(MESSAGES["tag_and_branch_disallowed"])
    branch_fields = sorted(key for key in BRANCH_KEYS if key in values)
    environment_fields = sorted(key for key in ENVIRONMENT_KEYS if key in values)
    if branch_fields and environment_fields:
        errors.append(
            f"cannot specify the {_pluralize('field', len(branch_fields))} {'/'.join(branch_fields)} with the "
            f"{_pluralize('field', len(environment_fields))} {'/'.join(environment_fields)}"
        )
    if values.get("fallbackTag") and not values.get("latest"):
        errors.append(MESSAGES["fallback_tag"])
    if values.get("fallbackTag") and not values.get("tag"):
        errors.append(MESSAGES["fallback_tag_requires_tag"])
    if values.get("fallbackBranch") and not values.get("branch"):
        errors.append(MESSAGES["fallback_branch_requires_branch"])
    if values.get("fallbackBranch") and values.get("latest") is False:
        errors.append(MESSAGES["fallback_branch_and_latest_false_disallowed"])
    if values.get("branch") and values.get("latest") is False:
        errors.append(MESSAGES["branch_and_latest_false_disallowed"])
    if _provided(values.get("environment")) and not environment_exists(values["environment"]):
        errors.append(f"environment with name '{values['environment']}' does not exist")
    if values.get("deployed") and values.get("released"):
        errors.append(MESSAGES["deployed_and_released_disallowed"])
    if values.get("deployed") and values.get("deployedOrReleased"):
        errors.append(MESSAGES["deployed_and_deployed_or_released_disallowed"])
    if values.get("released") and values.get("deployedOrReleased"):
        errors.append(MESSAGES["released_and_deployed_or_released_disallowed"])
    return errors


def _to_selectors(values: dict, provider_version_branch: str | None) -> list[Selector]:
    branch = values.get("branch")
    selector = Selector(
        main_branch=bool(values.get("mainBranch")),
        tag=values.get("tag"),
        branch=branch,
        matching_branch=bool(values.get("matchingBranch")),
        latest=True if (branch is not None or values.get("matchingBranch")) else values.get("latest"),
        fallback_tag=values.get("fallbackTag"),
        fallback_branch=values.get("fallbackBranch"),
        consumer=values.get("consumer"),
        environment=values.get("environment"),
        deployed=bool(values.get("deployed")),
        released=bool(values.get("released")),
    )
    if selector.matching_branch and provider_version_branch:
        selector = replace(selector, branch=provider_version_branch)
    if values.get("deployedOrReleased"):
        return [replace(selector, deployed=True), replace(selector, released=True)]
    return [selector]


def query_from_json(body, environment_names_existing) -> Query:
    """Validate and parse a POST body. `environment_names_existing(names) -> set` is called at most once."""
    if not isinstance(body, dict):
        body = {}
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    branch = body.get("providerVersionBranch")
    tags = body.get("providerVersionTags")
    selectors = body.get("consumerVersionSelectors")
    include_pending = body.get("includePendingStatus", True)
    wip_since = body.get("includeWipPactsSince")

    if branch is not None and not isinstance(branch, str):
        add("providerVersionBranch", "must be a string")
    if tags is not None and not isinstance(tags, list):
        add("providerVersionTags", "must be an array")
    if "includePendingStatus" in body and include_pending is None:
        add("includePendingStatus", "must be filled")
    elif include_pending is not True and include_pending is not False:
        add("includePendingStatus", "must be one of: true, false")
    since = None
    if "includeWipPactsSince" in body:
        since = _parse_date(wip_since)
        if wip_since is None:
            add("includeWipPactsSince", "must be filled")
        elif since is None:
            add("includeWipPactsSince", "must be a date")
    if "consumerVersionSelectors" in body and not isinstance(selectors, list):
        add("consumerVersionSelectors", "must be an array")
        selectors = None

    if isinstance(branch, str) and branch and not branch.strip():
        add("providerVersionBranch", MESSAGES["blank"])
    elif (
        isinstance(branch, str)
        and not branch.strip()
        and not (isinstance(tags, list) and tags)
        and (wip_since or include_pending is True)
    ):
        add("providerVersionBranch", MESSAGES["provider_version_branch_empty"])

    selector_dicts = selectors or []
    names = {
        s["environment"]
        for s in selector_dicts
        if isinstance(s, dict) and isinstance(s.get("environment"), str) and s["environment"].strip()
    }
    existing = environment_names_existing(sorted(names)) if names else set()
    for index, item in enumerate(selector_dicts):
        if not isinstance(item, dict):
            add("consumerVersionSelectors", f"must be a hash (at index {index})")
            continue
        messages = _schema_errors(item) or _selector_errors(item, body, lambda name: name in existing)
        for message in messages:
            add("consumerVersionSelectors", f"{message} (at index {index})")
    if errors:
        raise Invalid(errors)

    provider_version_branch = branch if isinstance(branch, str) and branch.strip() else None
    return Query(
        selectors=[s for item in selector_dicts for s in _to_selectors(item, provider_version_branch)],
        provider_version_branch=provider_version_branch,
        provider_version_tags=[str(t) for t in (tags or [])],
        include_pending_status=include_pending,
        include_wip_pacts_since=since,
    )


def query_from_query_string(query_string: str) -> Query:
    """The deprecated GET form (`PactsForVerificationQueryStringSchema`): tags-only selectors."""
    params = parse_nested_query(query_string)
    errors: dict[str, list[str]] = {}
    tags = params.get("provider_version_tags")
    if tags is not None and not isinstance(tags, list):
        errors.setdefault("provider_version_tags", []).append("must be an array")
    raw_selectors = params.get("consumer_version_selectors") or []
    if not isinstance(raw_selectors, list):
        errors.setdefault("consumer_version_selectors", []).append("must be an array")
        raw_selectors = []
    selectors = []
    for index, item in enumerate(raw_selectors):
        item = item if isinstance(item, dict) else {}
        problems = []
        if not item.get("tag"):
            problems.append("tag is missing" if "tag" not in item else "tag must be filled")
        if "latest" in item and item["latest"] not in ("true", "false"):
            problems.append("latest must be one of: true, false")
        for message in problems:
            errors.setdefault("consumer_version_selectors", []).append(f"{message} (at index {index})")
        selectors.append(
            Selector(
                tag=item.get("tag"),
                latest=True if item.get("latest") == "true" else (False if item.get("latest") == "false" else None),
                fallback_tag=item.get("fallback_tag"),
                consumer=item.get("consumer"),
            )
        )
    pending = params.get("include_pending_status", "true")
    if pending not in ("true", "false"):
        errors.setdefault("include_pending_status", []).append("must be one of: true, false")
    since = None
    if "include_wip_pacts_since" in params:
        since = _parse_date(params["include_wip_pacts_since"])
        if since is None:
            errors.setdefault("include_wip_pacts_since", []).append("must be a date")
    if errors:
        raise Invalid(errors)
    return Query(
        selectors=selectors,
        provider_version_tags=[str(t) for t in (tags or [])],
        include_pending_status=pending == "true",
        include_wip_pacts_since=since,
        deprecated_get=True,
    )
