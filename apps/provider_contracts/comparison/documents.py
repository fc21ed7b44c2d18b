"""Reading the two documents: the provider's OpenAPI description and the consumer's pact.

The description is JSON or YAML (PyYAML with libyaml, read as YAML 1.2 reads it: `2024-01-01` stays a
string, `yes` stays a string, mapping keys such as `200:` become strings, as in PactFlow's JavaScript
comparator). Its kind is taken from `openapi: "3.x"` / `swagger: "2.0"`, exactly as PactFlow does;
anything else is unreadable. Conformance to the OpenAPI specification is then checked with
`openapi-spec-validator` and reported as warnings: PactFlow compares descriptions that break the
specification in small ways (it does not validate them at all), and so do we, but we say so.

Pacts of every specification version (1 to 4) are read the way PactFlow's comparator reads them: an
interaction without `type`, or of type `Synchronous/HTTP`, is an HTTP interaction; header and query
values given as lists are joined with commas; pact v4 bodies (`{"content", "encoded"}`) are decoded.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

import yaml
from openapi_spec_validator import OpenAPIV2SpecValidator, OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from apps.core.parsers import JSONBodyError, JSONTooDeep, json_parse
from apps.provider_contracts.comparison.result import pointer

MISSING = object()  # an absent body, as opposed to a JSON null one
MAX_SPEC_PROBLEMS = 5


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML 1.2 scalars, as js-yaml (PactFlow's parser) reads them: no timestamps, no yes/no/on/off."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def _construct_bool(loader, node):
    value = loader.construct_scalar(node)
    return _BOOLEANS.get(value, value)


_Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def _js_key(key: Any) -> str:
    # JavaScript object keys are strings: `200:` is "200", `true:` is "true".
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


# YAML aliases let a few hundred bytes stand for billions of values ("billion laughs"); copying them
# into plain JSON values stops at this many (docs/limits.md).
MAX_DOCUMENT_VALUES = 1_000_000


def _jsonify(value: Any, _count: list[int] | None = None) -> Any:
    count = [0] if _count is None else _count
    count[0] += 1
    if count[0] > MAX_DOCUMENT_VALUES:
        raise UnreadableDocument(f"it expands to more than {MAX_DOCUMENT_VALUES} values (YAML aliases)")
    if isinstance(value, dict):
        return {_js_key(k): _jsonify(v, count) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonify(v, count) for v in value]
    return value


class UnreadableDocument(Exception):
    """The text is not JSON or YAML, or not the kind of document expected; the message says why."""


def document_parse(text: str | bytes) -> Any:
    """JSON first (as PactFlow does), then YAML 1.2."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnreadableDocument(f"it is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return json_parse(text)  # the size, depth and number limits of every JSON body
    except JSONTooDeep:
        raise UnreadableDocument("it is nested too deeply to read") from None
    except JSONBodyError:
        pass
    try:
        return _jsonify(yaml.load(text, Loader=_Yaml12Loader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid syntax"
        raise UnreadableDocument(f"it is neither JSON nor YAML ({problem}{where})") from None
    except RecursionError:
        raise UnreadableDocument("it is nested too deeply to read") from None


@dataclass
class Description:
    document: dict
    specification: str  # "openapi-3.0", "openapi-3.1" or "swagger-2.0"

    @property
    def is_swagger2(self) -> bool:
        return self.specification == "swagger-2.0"


def description_load(text: str | bytes) -> Description:
    document = document_parse(text)
    if not isinstance(document, dict):
        raise UnreadableDocument("it is not an OpenAPI document (the top level is not a mapping)")
    if document.get("swagger") == "2.0":
        specification = "swagger-2.0"
    elif isinstance(document.get("openapi"), str) and document["openapi"].startswith("3."):
        specification = "openapi-3.1" if not document["openapi"].startswith("3.0") else "openapi-3.0"
    else:
        raise UnreadableDocument(
            'it is not an OpenAPI document: it needs `openapi: "3.x"` (OpenAPI 3) or `swagger: "2.0"` (Swagger 2)'
        )
    if not isinstance(document.get("paths", {}), dict) or not isinstance(document.get("info", {}), dict):
        raise UnreadableDocument("its `paths` and `info` must be mappings")
    return Description(document=document, specification=specification)


_SPEC_VALIDATORS = {
    "swagger-2.0": OpenAPIV2SpecValidator,
    "openapi-3.0": OpenAPIV30SpecValidator,
    "openapi-3.1": OpenAPIV31SpecValidator,
}


def description_problems(description: Description) -> list[str]:
    """Where the description breaks the OpenAPI specification (the first few), by openapi-spec-validator."""
    validator = _SPEC_VALIDATORS[description.specification](description.document)
    problems = []
    try:
        for error in validator.iter_errors():
            path = pointer(*(getattr(error, "path", ()) or ()))
            problems.append(f"{error.message}" + (f" (at {path})" if path else ""))
            if len(problems) >= MAX_SPEC_PROBLEMS:
                break
    except Exception as exc:  # the validator gives up on some broken documents; say so, carry on comparing
        problems.append(f"it could not be fully checked ({type(exc).__name__}: {exc})")
    return problems


@dataclass
class HttpInteraction:
    index: int
    description: str | None
    provider_state: str | None
    method: str
    path: str
    query: str | dict | None
    request_headers: dict[str, str]
    request_body: Any
    status: int
    response_headers: dict[str, str]
    response_body: Any


@dataclass
class OtherInteraction:
    """A message or other non-HTTP interaction: not comparable with an OpenAPI description."""

    index: int
    description: str | None
    kind: str


def _clean(value: str) -> str:
    return value.replace("\r", "").replace("\n", "").replace("\0", "")


def _flatten(values: Any) -> Any:
    # Pact v3+ has lists of values; PactFlow joins them with commas.
    if not values:
        return None
    if isinstance(values, str):
        return values
    return {
        key: ",".join(_clean(str(v)) for v in value) if isinstance(value, list) else _clean(str(value))
        for key, value in values.items()
    }


def _v4_body(body: Any) -> Any:
    if not body:
        return MISSING
    if not isinstance(body, dict):
        return body
    encoded, content = body.get("encoded"), body.get("content", "")
    if not encoded:
        return content
    try:
        if str(encoded).upper() == "JSON":
            return json.loads(content)
        if str(encoded).lower() == "base64":
            return base64.b64decode(content, validate=False).decode("utf-8", errors="replace")
    except (ValueError, TypeError, binascii.Error):
        return content
    return content


def _spec_version(metadata: Any) -> int:
    if not isinstance(metadata, dict):
        return 0
    for key in ("pactSpecification", "pact-specification"):
        if isinstance(metadata.get(key), dict) and metadata[key].get("version"):
            return _leading_int(metadata[key]["version"])
    return _leading_int(metadata.get("pactSpecificationVersion") or "0")


def _leading_int(text: Any) -> int:
    digits = ""
    for char in str(text).lstrip("vV"):
        if not char.isdigit():
            break
        digits += char
    return int(digits or 0)


def _is_http(raw: dict) -> bool:
    kind = raw.get("type")
    return kind is None or (isinstance(kind, str) and kind.lower() == "synchronous/http")


def _http_problem(raw: dict) -> str | None:
    request, response = raw.get("request"), raw.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        return "it has no request or no response"
    if not isinstance(request.get("method"), str) or not isinstance(request.get("path"), str):
        return "its request has no method or no path"
    status = response.get("status")
    if isinstance(status, bool) or not isinstance(status, int | float):
        return "its response has no numeric status"
    return None


def pact_interactions(pact: Any) -> list[HttpInteraction | OtherInteraction]:
    """The pact's interactions, in order; raises UnreadableDocument when PactFlow could not read it either."""
    if not isinstance(pact, dict):
        raise UnreadableDocument("the pact is not a JSON object")
    raws = pact.get("interactions", [])
    if not isinstance(raws, list):
        raise UnreadableDocument("the pact's `interactions` is not a list")
    v4 = _spec_version(pact.get("metadata")) >= 4
    interactions: list[HttpInteraction | OtherInteraction] = []
    for index, raw in enumerate(raws):
        if not isinstance(raw, dict):
            continue
        description = raw.get("description") if isinstance(raw.get("description"), str) else None
        if not _is_http(raw):
            interactions.append(OtherInteraction(index, description, str(raw.get("type"))))
            continue
        problem = _http_problem(raw)
        if problem:
            raise UnreadableDocument(f"interaction {index} ({description or 'no description'}): {problem}")
        request, response = raw["request"], raw["response"]
        body_of = _v4_body if v4 else (lambda side: side.get("body", MISSING))
        interactions.append(
            HttpInteraction(
                index=index,
                description=description,
                provider_state=raw.get("providerState") if isinstance(raw.get("providerState"), str) else None,
                method=request["method"],
                path=request["path"],
                query=_flatten(request.get("query")),
                request_headers=_flatten(request.get("headers")) or {},
                request_body=body_of(request.get("body")) if v4 else body_of(request),
                status=int(response["status"]),
                response_headers=_flatten(response.get("headers")) or {},
                response_body=body_of(response.get("body")) if v4 else body_of(response),
            )
        )
    for index, message in enumerate(pact.get("messages") or []):  # pact v3 message pacts
        if isinstance(message, dict):
            description = message.get("description") if isinstance(message.get("description"), str) else None
            interactions.append(OtherInteraction(index, description, "message"))
    return interactions
