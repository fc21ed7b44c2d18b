"""Rack's nested query strings (`Rack::Utils.build_nested_query` / `parse_nested_query`), byte for byte.

The broker encodes pact-URL metadata and parses the deprecated GET form with these, so the
quirks matter: keys are escaped too (`s[][b]` becomes `s%5B%5D%5Bb%5D`), a space is `+`, `~` is
escaped, and in `a[][x]=1&a[][y]=2&a[][x]=3` a new array element starts when a key repeats.
"""
from urllib.parse import quote_plus, unquote_plus


def escape(value) -> str:
    """Ruby's URI.encode_www_form_component: only *-._ and alphanumerics stay as they are."""
    return quote_plus(str(value), safe="*").replace("~", "%7E")


def _scalar(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def build_nested_query(value, prefix: str | None = None) -> str:
    if isinstance(value, list):
        return "&".join(build_nested_query(item, f"{prefix}[]") for item in value)
    if isinstance(value, dict):
        parts = [build_nested_query(v, f"{prefix}[{k}]" if prefix else str(k)) for k, v in value.items()]
        return "&".join(part for part in parts if part)
    if value is None:
        return escape(prefix)
    if prefix is None:
        raise ValueError("value must be a dict")
    return f"{escape(prefix)}={escape(_scalar(value))}"


def _normalize(params, name: str, value):
    """Rack's normalize_params for the shapes the broker uses: k, k[], k[x], k[][x]."""
    if "[" not in name:
        params[name] = value
        return params
    key, rest = name.split("[", 1)
    rest = "[" + rest
    if rest == "[]":
        params.setdefault(key, [])
        if isinstance(params[key], list):
            params[key].append(value)
        return params
    if rest.startswith("[]["):
        child_key, tail = rest[3:].split("]", 1)
        items = params.setdefault(key, [])
        if not isinstance(items, list):
            return params
        if items and isinstance(items[-1], dict) and child_key not in items[-1]:
            _normalize(items[-1], child_key + tail, value)
        else:
            items.append(_normalize({}, child_key + tail, value))
        return params
    if rest.startswith("["):
        child_key, tail = rest[1:].split("]", 1)
        params.setdefault(key, {})
        if isinstance(params[key], dict):
            _normalize(params[key], child_key + tail, value)
        return params
    return params


def parse_nested_query(query: str) -> dict:
    params: dict = {}
    for pair in (query or "").split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        _normalize(params, unquote_plus(name), unquote_plus(value))
    return params
