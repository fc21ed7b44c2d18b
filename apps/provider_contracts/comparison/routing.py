"""Finding the operation of the description that an interaction's method and path call.

Every `paths` template becomes one pattern per method: `{name}` matches a non-empty run of
characters without `/` (several in one segment, as in `/files/{name}.{ext}`, are allowed), the
rest matches literally and case-sensitively, and a trailing slash counts (`/pets/` is not `/pets`),
as in PactFlow (its comparator routes with find-my-way). When several templates match, the one with
literal segments earliest wins (`/pets/mine` before `/pets/{id}`).

Base paths: Swagger 2's `basePath`, or `info.x-opc-config-base-path` (PactFlow's extension), is a
prefix every pact path must carry. OpenAPI 3's `servers` may or may not be in the pact's path
(consumers configure their base URL either way): a path that matches no template as it stands is
tried again without the path part of each server URL (`https://api.example.com/v2` → `/v2`).
PactFlow ignores `servers`; this is one of our listed disagreements (docs/bi-directional.md).

PactFlow's router options, set in the description's `info` as `x-opc-config-case-insensitive`,
`x-opc-config-ignore-trailing-slash` and `x-opc-config-ignore-duplicate-slashes`, are honoured.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAMETER = re.compile(r"\{([^{}]*)\}")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


@dataclass
class Operation:
    path: str  # the template, as written in the description
    method: str  # lower case
    operation: dict
    parameters: list[dict] = field(default_factory=list)  # operation's then path item's, de-duplicated, resolved


@dataclass
class Route:
    operation: Operation
    path_parameters: dict[str, str]  # decoded values, by the name in the template


@dataclass
class _Pattern:
    template: str
    regex: re.Pattern
    names: list[str]
    rank: tuple  # sorts literal segments before templated ones, left to right


def _parameter_name(raw: str) -> str:
    # `{.name*}` / `{;name}` (label and matrix styles) name `name`.
    return raw.lstrip(".;").rstrip("*")


def _compile(template: str, case_insensitive: bool) -> _Pattern:
    regex, names, rank = "", [], []
    for segment in template.split("/"):
        pieces = _PARAMETER.split(segment)  # literal, name, literal, name, ..., literal
        rank.append(0 if len(pieces) == 1 and "*" not in segment else 1 if len(pieces) > 1 else 2)
        part = ""
        for position, piece in enumerate(pieces):
            if position % 2:
                group = f"p{len(names)}"
                names.append(_parameter_name(piece))
                # label and matrix styles (`{.id}`, `{;id}`) start with their prefix
                part += re.escape(piece[0] if piece[:1] in ".;" else "") + f"(?P<{group}>[^/]+?)"
            else:
                # `*` (PactFlow's router's wildcard, as in `/files/**`) matches the rest of the path
                part += ".*".join(re.escape(literal) for literal in re.split(r"\*+", piece))
        regex += part + "/"
    return _Pattern(
        template, re.compile(regex[:-1] + r"\Z", re.IGNORECASE if case_insensitive else 0), names, tuple(rank)
    )


class Router:
    def __init__(
        self, document: dict, operations: list[Operation], base_path: str, server_paths: list[str], options: dict
    ):
        self.document = document
        self._options = options
        self._base_path = base_path.rstrip("/") if base_path != "/" else ""
        self._server_paths = [p for p in server_paths if p]
        self._patterns: dict[str, list[tuple[_Pattern, Operation]]] = {}
        self._templates: dict[str, _Pattern] = {}
        for operation in operations:
            pattern = self._templates.setdefault(
                operation.path, _compile(operation.path, bool(options.get("case-insensitive")))
            )
            self._patterns.setdefault(operation.method, []).append((pattern, operation))
        for candidates in self._patterns.values():
            candidates.sort(key=lambda item: item[0].rank)

    def _match(self, method: str, path: str) -> Route | None:
        if self._options.get("ignore-trailing-slash"):
            return self._match_exactly(method, path) or self._match_exactly(method, path + "/")
        return self._match_exactly(method, path)

    def _match_exactly(self, method: str, path: str) -> Route | None:
        if self._base_path:
            if not path.startswith(self._base_path + "/") and path != self._base_path:
                return None
            path = path[len(self._base_path) :] or "/"
        for pattern, operation in self._patterns.get(method, ()):
            found = pattern.regex.match(path)
            if found:
                values = {name: unquote(found.group(f"p{i}")) for i, name in enumerate(pattern.names)}
                return Route(operation, values)
        return None

    def route(self, method: str, path: str) -> Route | None:
        """The operation `method path` calls, or None (an unknown path, or a known path without this method)."""
        path = path if path.startswith("/") else "/" + path
        if "?" in path or _BAD_PERCENT.search(path):
            return None
        method = method.lower()
        if self._options.get("ignore-duplicate-slashes"):
            path = re.sub("/{2,}", "/", path)
        if self._options.get("ignore-trailing-slash") and len(path) > 1:
            path = path.rstrip("/") or "/"
        found = self._match(method, path)
        for server_path in self._server_paths:
            if found:
                break
            if path.startswith(server_path + "/"):
                found = self._match(method, path[len(server_path) :])
        return found

    def methods_for(self, path: str) -> list[str]:
        """The methods the description has for a path no operation matched (for the message)."""
        path = path if path.startswith("/") else "/" + path
        return sorted({method.upper() for method in self._patterns if self._match(method, path)})


def server_paths(document: dict) -> list[str]:
    """The path parts of OpenAPI 3's server URLs (variables at their defaults), longest first."""
    paths = set()
    for server in document.get("servers") or []:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        for name, variable in (server.get("variables") or {}).items():
            if isinstance(variable, dict) and "default" in variable:
                url = url.replace("{" + str(name) + "}", str(variable["default"]))
        path = urlsplit(url if "//" in url else "http://host" + ("" if url.startswith("/") else "/") + url).path
        path = path.rstrip("/")
        if path and "{" not in path:
            paths.add(path)
    return sorted(paths, key=len, reverse=True)
