"""Validating a value against a schema of a view, with `jsonschema` and `referencing`.

A view (views.py) is registered as one resource, so `$ref`s inside it resolve as in the description;
each validation starts from a reference to the schema's JSON pointer. OpenAPI 3.1 schemas are JSON
Schema 2020-12; OpenAPI 3.0 and Swagger 2 schemas are validated as 2019-09 (PactFlow's dialect).
Formats are asserted, for the formats PactFlow knows (ajv-formats): date, time, date-time, uri,
uri-reference, email, ipv4, ipv6, uuid, regex, json-pointer, relative-json-pointer, duration,
byte (base64), int32, int64; unknown formats pass.

Messages are written for a consumer developer: where in the pact, what the provider's schema
says, and what the pact has.
"""

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft201909Validator, Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909, DRAFT202012

from apps.provider_contracts.comparison.views import pointer_get

_FORMATS = FormatChecker(
    formats=[
        f
        for f in (
            "date",
            "time",
            "date-time",
            "uri",
            "uri-reference",
            "email",
            "ipv4",
            "ipv6",
            "uuid",
            "regex",
            "json-pointer",
            "relative-json-pointer",
            "duration",
        )
        if f in FormatChecker.checkers
    ]
)


@_FORMATS.checks("int32")
def _int32(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return float(value).is_integer() and -(2**31) <= value <= 2**31 - 1


@_FORMATS.checks("int64")
def _int64(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return float(value).is_integer()


@_FORMATS.checks("byte", raises=(binascii.Error, ValueError))
def _byte(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    base64.b64decode(value, validate=True)
    return len(value) % 4 == 0


@dataclass(frozen=True)
class Problem:
    location: str  # within the value, "$.items[0].name"
    keyword: str
    message: str


class SchemaValidator:
    """Validates values against the schemas of one view (request or response side) of a description."""

    def __init__(self, view: dict, openapi31: bool):
        self._cls = Draft202012Validator if openapi31 else Draft201909Validator
        specification = DRAFT202012 if openapi31 else DRAFT201909
        self._uri = "urn:contract-broker:openapi"
        self._registry = Registry().with_resource(self._uri, Resource(contents=view, specification=specification))
        self._validators: dict[str, Any] = {}
        self.view = view

    def problems(self, schema_pointer: str, value: Any, *, side: str) -> list[Problem]:
        validator = self._validators.get(schema_pointer)
        if validator is None:
            if pointer_get(self.view, schema_pointer) is None:
                return []  # nothing documented there to validate against
            schema = {"$ref": f"{self._uri}#{_escape_fragment(schema_pointer)}"}
            validator = self._cls(schema, registry=self._registry, format_checker=_FORMATS)
            self._validators[schema_pointer] = validator
        try:
            return [_problem(error, side) for error in _leaves(validator.iter_errors(value))]
        except RecursionError:
            return [Problem("$", "recursion", "is nested too deeply to be checked against the provider's schema")]


def says(problem: Problem) -> str:
    """A problem as the end of a sentence about a value: "is a string (...)" or "at $.a.b is ..."."""
    return problem.message if problem.location == "$" else f"at {problem.location} {problem.message}"


def _escape_fragment(json_pointer: str) -> str:
    return json_pointer.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def _leaves(errors) -> Iterator[ValidationError]:
    for error in errors:
        if error.validator == "$ref" and error.context:
            yield from _leaves(error.context)
        else:
            yield error


def value_location(path) -> str:
    location = "$"
    for part in path:
        location += (
            f"[{part}]"
            if isinstance(part, int)
            else (f".{part}" if str(part).isidentifier() else f"[{json.dumps(part)}]")
        )
    return location


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _types(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return " or ".join(names)


def _problem(error: ValidationError, side: str) -> Problem:
    keyword, instance, expected = error.validator, error.instance, error.validator_value
    where = value_location(error.absolute_path)
    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = set((error.schema or {}).get("properties") or {})
        extra = sorted(k for k in instance if k not in allowed)
        names = ", ".join(f"'{k}'" for k in extra) or "some fields"
        if side == "response":
            message = (
                f"has {names}, which the provider's schema does not document: the provider does not promise to "
                "send it (remove it from the pact, or have the provider add it to its OpenAPI description)"
            )
        else:
            message = f"has {names}, which the provider's schema does not allow"
    elif keyword == "required":
        missing = [name for name in expected if isinstance(instance, dict) and name not in instance]
        message = "lacks " + ", ".join(f"'{m}'" for m in missing) + ", which the provider's schema requires"
    elif keyword == "type":
        shown = "" if instance is None else f" ({_show(instance)})"
        message = f"is {_kind(instance)}{shown}, the provider's schema says {_types(expected)}"
    elif keyword == "enum":
        message = f"is {_show(instance)}, the provider's schema allows only {_show(expected)}"
    elif keyword == "const":
        message = f"is {_show(instance)}, the provider's schema allows only {_show(expected)}"
    elif keyword == "format":
        message = f"is {_show(instance)}, which is not a valid {expected} (the format the provider's schema gives)"
    elif keyword in ("oneOf", "anyOf"):
        detail = best_match(error.context) if error.context else None
        which = "exactly one" if keyword == "oneOf" else "at least one"
        message = f"does not match {which} of the alternatives of the provider's schema ({keyword})"
        if keyword == "oneOf" and not error.context:
            message = "matches more than one of the alternatives of the provider's schema (oneOf)"
        elif detail is not None:
            message += f"; closest: {value_location(detail.absolute_path)} {_problem(detail, side).message}"
    elif keyword is False or keyword == "else":
        message = "is not allowed by the provider's schema"
    else:
        message = f"breaks the provider's schema ({keyword}): {error.message}"
    return Problem(where, str(keyword), message)
