"""Parsing matrix and can-i-deploy queries the way the broker (and so every client) expects.

Clients send Rack-style nested parameters: `q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar
&q[][latest]=true`. Rack builds a list of hashes and starts a *new* hash whenever a key repeats in
the current one, so order matters and `QueryDict.getlist` cannot pair the values back up.
`apps.core.rack.parse_nested_query` follows Rack's rules; `matrix_query_parse` and
`can_i_deploy_query_parse` turn the result into selectors and options (lib/pact_broker/matrix/
parse_query.rb and parse_can_i_deploy_query.rb in the broker). Blank values are ignored.
"""

from dataclasses import dataclass, field, replace

from apps.core.rack import parse_nested_query

DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class UnresolvedSelector:
    pacticipant_name: str | None = None
    version_number: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    main_branch: bool = False
    environment_name: str | None = None


@dataclass
class MatrixOptions:
    latestby: str | None = None
    limit: int | str | None = DEFAULT_LIMIT
    latest: bool = False
    tag: str | None = None
    environment_name: str | None = None
    main_branch: bool = False
    success: list | None = None
    ignore_selectors: list[UnresolvedSelector] = field(default_factory=list)

    def infers_selectors(self) -> bool:
        """Whether to add "the other side" selectors: with the latest/tag/env/main-branch versions."""
        return bool(self.latest or self.tag or self.environment_name or self.main_branch)

    def has_target(self) -> bool:
        return bool(self.tag or self.environment_name or self.main_branch or self.latest)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _selector(item) -> UnresolvedSelector:
    if not isinstance(item, dict):
        return UnresolvedSelector()
    return UnresolvedSelector(
        pacticipant_name=_text(item.get("pacticipant")),
        version_number=_text(item.get("version")),
        latest=item.get("latest") == "true",
        tag=_text(item.get("tag")),
        branch=_text(item.get("branch")),
        main_branch=item.get("mainBranch") == "true",
        environment_name=_text(item.get("environment")),
    )


def _ignore_selectors(value) -> list[UnresolvedSelector]:
    if not isinstance(value, list):
        return []
    selectors = []
    for item in value:
        if isinstance(item, str):
            selectors.append(UnresolvedSelector(pacticipant_name=_text(item)))
        elif isinstance(item, dict):
            selectors.append(
                UnresolvedSelector(
                    pacticipant_name=_text(item.get("pacticipant")), version_number=_text(item.get("version"))
                )
            )
    return selectors


def matrix_query_parse(query_string: str) -> tuple[list[UnresolvedSelector], MatrixOptions]:
    params = parse_nested_query(query_string)
    raw = params.get("q") or []
    selectors = [_selector(item) for item in raw] if isinstance(raw, list) else []
    options = MatrixOptions()
    success = params.get("success")
    if isinstance(success, list):
        options.success = [None if v == "" else v == "true" for v in success]
    elif isinstance(success, str):
        options.success = [None if success == "" else success == "true"]
    options.latestby = _text(params.get("latestby"))
    if _text(params.get("limit")) is not None:
        options.limit = params["limit"]
    if _text(params.get("latest")) is not None:
        options.latest = params["latest"] == "true"
    options.tag = _text(params.get("tag"))
    options.environment_name = _text(params.get("environment"))
    options.main_branch = params.get("mainBranch") == "true"
    options.ignore_selectors = _ignore_selectors(params.get("ignore"))
    return selectors, options


def can_i_deploy_query_parse(query_string: str) -> tuple[dict, list[UnresolvedSelector]]:
    """The simple `/can-i-deploy` form: the raw fields (for validation) and the ignore selectors."""
    params = parse_nested_query(query_string)
    fields = {key: params.get(key) for key in ("pacticipant", "version", "environment", "to")}
    return fields, _ignore_selectors(params.get("ignore"))


def selector_with(selector: UnresolvedSelector, **changes) -> UnresolvedSelector:
    return replace(selector, **changes)
