"""Parsing matrix and can-i-deploy queries the way the broker (and so every client) expects.

Clients send Rack-style nested parameters: `q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar
&q[][latest]=true`. Rack builds a list of hashes and starts a *new* hash whenever a key repeats in
the current one, so order matters and `QueryDict.getlist` cannot pair the values back up.
`rack_parse` reimplements Rack's `parse_nested_query` rules; `matrix_query_parse` and
`can_i_deploy_query_parse` turn the result into selectors and options (lib/pact_broker/matrix/
parse_query.rb and parse_can_i_deploy_query.rb in the broker). Blank values are ignored.
"""
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl

DEFAULT_LIMIT = 100
PARAMS_DEPTH_LIMIT = 100

_KEY = re.compile(r"\A[\[\]]*([^\[\]]+)\]*")
_CHILD_HASH = re.compile(r"\A\[\]\[([^\[\]]+)\]\Z")
_CHILD_ANY = re.compile(r"\A\[\](.+)\Z")


class QueryParseError(ValueError):
    pass


def _has_key(params: dict, name: str) -> bool:
    """Whether a nested name (e.g. "a][b" as Rack passes it down) is already set in a hash."""
    parts = [p for p in re.split(r"[\[\]]+", name) if p]
    current = params
    for part in parts:
        if not isinstance(current, dict) or part not in current:
            return False
        current = current[part]
    return True


def _normalize(params: dict, name: str, value: str, depth: int = 0) -> dict:
    # Rack's params_depth_limit (100): a deeper key is a 400, not a RecursionError.
    if depth > PARAMS_DEPTH_LIMIT:
        raise QueryParseError("Invalid query: parameters nested too deeply")
    match = _KEY.match(name)
    if not match:
        return params
    key = match.group(1)
    after = name[match.end():]
    if after == "":
        params[key] = value
    elif after == "[":
        params[name] = value
    elif after == "[]":
        current = params.setdefault(key, [])
        if not isinstance(current, list):
            raise QueryParseError(f"expected an array for param `{key}`")
        current.append(value)
    elif after.startswith("[]"):
        child = _CHILD_HASH.match(after) or _CHILD_ANY.match(after)
        child_key = child.group(1)
        current = params.setdefault(key, [])
        if not isinstance(current, list):
            raise QueryParseError(f"expected an array for param `{key}`")
        if current and isinstance(current[-1], dict) and not _has_key(current[-1], child_key):
            _normalize(current[-1], child_key, value, depth + 1)
        else:
            current.append(_normalize({}, child_key, value, depth + 1))
    else:
        current = params.setdefault(key, {})
        if not isinstance(current, dict):
            raise QueryParseError(f"expected a hash for param `{key}`")
        _normalize(current, after, value, depth + 1)
    return params


def rack_parse(query_string: str) -> dict:
    """Rack's `parse_nested_query`: ordered pairs folded into nested hashes and lists."""
    params: dict = {}
    for name, value in parse_qsl(query_string or "", keep_blank_values=True):
        _normalize(params, name, value)
    return params


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
            selectors.append(UnresolvedSelector(pacticipant_name=_text(item.get("pacticipant")),
                                                version_number=_text(item.get("version"))))
    return selectors


def matrix_query_parse(query_string: str) -> tuple[list[UnresolvedSelector], MatrixOptions]:
    params = rack_parse(query_string)
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
    params = rack_parse(query_string)
    fields = {key: params.get(key) for key in ("pacticipant", "version", "environment", "to")}
    return fields, _ignore_selectors(params.get("ignore"))


def selector_with(selector: UnresolvedSelector, **changes) -> UnresolvedSelector:
    return replace(selector, **changes)
