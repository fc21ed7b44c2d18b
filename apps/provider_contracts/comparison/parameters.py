"""Turning the strings of a request's path, query and headers into values a schema can judge.

HTTP carries parameters as text; the description types them. As PactFlow does (its comparator reads
queries with the `qs` package and coerces with Ajv's `coerceTypes`), we:

- read a query string into names and values: repeated names and comma-separated values become
  lists (`ids=1,2` or `ids=1&ids=2`), `a[b]=1` and `a.b=1` nest, `a[]=1` appends, `+` is a space;
- read a path or header value that is not a plain string as a list (`1,2`) or an object
  (`role=admin,name=Alex`);
- coerce text to the schema's `type` before validating: `"5"` is the integer 5, `"true"` the boolean
  true, `""` null; a value that does not convert stays text, and the validator then reports it.
"""

import re
from typing import Any
from urllib.parse import unquote

_JS_NUMBER = re.compile(
    r"\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity)\s*\Z|\s*0[xX][0-9a-fA-F]+\s*\Z"
    r"|\s*0[bB][01]+\s*\Z|\s*0[oO][0-7]+\s*\Z"
)
_ARRAY_LIMIT = 20  # qs's arrayLimit: `a[3]=x` is a list, `a[99]=x` an object
_DEPTH = 5


def _decode(text: str) -> str:
    try:
        return unquote(text.replace("+", " "), errors="strict")
    except UnicodeDecodeError:
        return text


def _key_segments(key: str) -> list[str]:
    key = re.sub(r"\.([^.\[]+)", r"[\1]", key)  # allowDots: a.b -> a[b]
    head, _, rest = key.partition("[")
    if not rest or not head:
        return [key]
    segments = [head] + re.findall(r"\[([^\[\]]*)\]", "[" + rest)
    return segments[: _DEPTH + 1]


def _assign(target: dict, segments: list[str], value: Any) -> None:
    name = segments[0]
    if len(segments) == 1:
        if name in target:
            existing = target[name]
            target[name] = (existing if isinstance(existing, list) else [existing]) + (
                value if isinstance(value, list) else [value]
            )
        else:
            target[name] = value
        return
    child = target.get(name)
    if segments[1] == "":
        target[name] = (child if isinstance(child, list) else ([] if child is None else [child])) + (
            value if isinstance(value, list) else [value]
        )
        return
    if not isinstance(child, dict):
        child = {} if child is None else {"0": child}
        target[name] = child
    _assign(child, segments[1:], value)


def _lists_from_indexes(value: Any) -> Any:
    if isinstance(value, dict):
        value = {k: _lists_from_indexes(v) for k, v in value.items()}
        if value and all(k.isdigit() and int(k) <= _ARRAY_LIMIT for k in value):
            return [value[k] for k in sorted(value, key=int)]
    return value


def query_parse(query: str, *, comma: bool = True) -> dict[str, Any]:
    """A query string as qs.parse(query, {allowDots: true, comma}) reads it."""
    result: dict[str, Any] = {}
    for part in query.split("&"):
        if not part:
            continue
        key, has_value, raw = part.partition("=")
        key = _decode(key)
        if not key:
            continue
        if not has_value:
            value: Any = ""
        elif comma and "," in raw:
            value = [_decode(piece) for piece in raw.split(",")]
        else:
            value = _decode(raw)
        _assign(result, _key_segments(key), value)
    return {k: _lists_from_indexes(v) for k, v in result.items()}


def query_string(query: str | dict | None) -> str:
    """A pact's query (a string in pact v1, an object of lists later) as one query string."""
    if not query:
        return ""
    if isinstance(query, str):
        return query
    return "&".join(f"{name}={value if value is not None else ''}" for name, value in query.items())


def value_parse(text: str | None) -> Any:
    """A path or header value meant as a list or an object: `a,b` is a list, `k=v,k2=v2` an object."""
    if not text:
        return text
    if "=" in text:
        return query_parse(text.replace(",", "&"))
    if "," in text:
        return text.split(",")
    return text


def _js_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_number(value: Any, integer: bool) -> Any:
    if isinstance(value, bool):
        number: Any = int(value)
    elif value is None:
        number = 0
    elif isinstance(value, str) and value and _JS_NUMBER.match(value):
        text = value.strip()
        if text.lower().lstrip("+-").startswith(("0x", "0b", "0o")):
            number = int(text, 0)
        else:
            number = float(text.replace("Infinity", "inf"))
            number = int(number) if number.is_integer() else number
    else:
        return _UNCHANGED
    if integer and isinstance(number, float):
        return _UNCHANGED
    return number


_UNCHANGED = object()


def _coerce_to(kind: str, value: Any) -> Any:
    if kind == "string":
        if value is None:
            return ""
        return _js_string(value) if isinstance(value, bool | int | float) else _UNCHANGED
    if kind in ("number", "integer"):
        return _to_number(value, kind == "integer")
    if kind == "boolean":
        if value in ("false", 0, None) and value is not False:
            return False
        if value in ("true", 1) and value is not True:
            return True
        return _UNCHANGED
    if kind == "null":
        return None if value in ("", 0, False) else _UNCHANGED
    return _UNCHANGED


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def coerce(value: Any, schema: Any, resolve, depth: int = 0) -> Any:
    """`value` converted towards `schema`'s types, as Ajv's coerceTypes does (`resolve` follows $refs)."""
    if not isinstance(schema, dict) or depth > 32:
        return value
    schema = resolve(schema)
    types = schema.get("type")
    types = [types] if isinstance(types, str) else [t for t in types or [] if isinstance(t, str)]
    if types:
        actual = _json_type(value)
        if actual not in types and not (actual == "integer" and "number" in types):
            for kind in types:
                converted = _coerce_to(kind, value)
                if converted is not _UNCHANGED:
                    value = converted
                    break
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        value = [coerce(item, schema["items"], resolve, depth + 1) for item in value]
    elif isinstance(value, dict):
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        extra = schema.get("additionalProperties")
        value = {
            k: coerce(v, properties[k] if k in properties else extra, resolve, depth + 1) for k, v in value.items()
        }
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword) or []:
            converted = coerce(value, branch, resolve, depth + 1)
            if _json_type(converted) != _json_type(value):
                return converted
    return value
