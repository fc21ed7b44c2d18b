"""The description's schemas as the pact must be judged against them (two "views").

OpenAPI schemas are not quite JSON Schema, and a pact is an *example* rather than a full message, so
before validating we rewrite a copy of the description, as PactFlow's comparator does:

Both views
- `nullable: true` (OpenAPI 3.0) also admits null; `exclusiveMinimum: true` (3.0, Swagger 2) moves
  the bound of `minimum` into `exclusiveMinimum` (JSON Schema's form);
- `allOf` is merged into one schema (properties merged, `required` united), because OpenAPI uses
  it for composition ("a Pet with these extra fields") and the response rule below must see the
  merged list of properties;
- `discriminator` with `oneOf` selects the branch by the tag's value (from its `mapping`, the
  branches' `const`/`enum` of the tag, or the branches' component names): an unknown tag value is a
  mismatch, and only the selected branch is checked. Without `oneOf` it is ignored.

Response view (what the provider sends)
- `required` is dropped: a pact lists only the fields its consumer uses;
- an object schema (`type: object`, no composition) that does not say what other properties may be
  gets `additionalProperties: false`: a consumer may only rely on fields the provider documents.
  This is the rule behind most real-world failures ("field 'x' is not in the provider's schema").

References stay references (so recursive schemas work) and are resolved by `referencing` when
validating; a reference that points nowhere, or outside the document, is replaced by an empty
schema (anything goes, as in PactFlow) and reported once as a warning.
"""

import copy
from typing import Any

_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_SUBSCHEMA_ONE = (
    "additionalProperties",
    "items",
    "additionalItems",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
)
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "prefixItems", "items")
_NOT_DESCRIPTION_KEYS = ("example", "examples")  # sample values, never schemas


def unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def pointer_get(document: Any, json_pointer: str) -> Any:
    """The node at a JSON pointer ("" or "/a/b"), or None."""
    node = document
    for raw in json_pointer.split("/")[1:] if json_pointer else []:
        segment = unescape(raw)
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return None
    return node


def local_pointer(ref: Any) -> str | None:
    """ "#/components/schemas/Pet" -> "/components/schemas/Pet"; None for other references."""
    if isinstance(ref, str) and (ref == "#" or ref.startswith("#/")):
        from urllib.parse import unquote

        return unquote(ref[1:])
    return None


def resolve(document: dict, node: Any, json_pointer: str) -> tuple[Any, str]:
    """Follow `$ref` chains within the document: (target, its pointer); a broken chain gives ({}, pointer)."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        target = local_pointer(node["$ref"])
        if target is None or target in seen:
            return {}, json_pointer
        seen.add(target)
        resolved = pointer_get(document, target)
        if resolved is None:
            return {}, json_pointer
        node, json_pointer = resolved, target
    return node, json_pointer


class _Builder:
    def __init__(self, document: dict, response: bool):
        self.document = document
        self.response = response
        self.unresolved: set[str] = set()

    # -- allOf -------------------------------------------------------------------------------------
    def _deref(self, node: Any, expanding: frozenset) -> tuple[Any, frozenset]:
        while isinstance(node, dict) and "$ref" in node and len(node) == 1:
            target = local_pointer(node["$ref"])
            resolved = pointer_get(self.document, target) if target is not None else None
            if resolved is None:
                self.unresolved.add(str(node["$ref"]))
                return {}, expanding
            if target in expanding:  # a cycle through allOf: leave the reference to the validator
                return node, expanding
            node, expanding = resolved, expanding | {target}
        return node, expanding

    def _merge(self, into: dict, other: dict, expanding: frozenset) -> dict:
        for key, value in other.items():
            if key == "required" and isinstance(value, list):
                into["required"] = list(dict.fromkeys(list(into.get("required") or []) + value))
            elif key == "properties" and isinstance(value, dict) and isinstance(into.get("properties"), dict):
                properties = dict(into["properties"])
                for name, schema in value.items():
                    if name in properties and isinstance(schema, dict) and isinstance(properties[name], dict):
                        left = self._flatten(self._deref(properties[name], expanding)[0], expanding)
                        right = self._flatten(self._deref(schema, expanding)[0], expanding)
                        properties[name] = self._merge(copy.deepcopy(left), right, expanding)
                    else:
                        properties[name] = schema
                into["properties"] = properties
            else:
                into[key] = copy.deepcopy(value)
        return into

    def _flatten(self, node: Any, expanding: frozenset) -> Any:
        if not isinstance(node, dict) or not isinstance(node.get("allOf"), list):
            return node
        merged = {key: value for key, value in node.items() if key != "allOf"}
        for branch in node["allOf"]:
            branch, inner = self._deref(branch, expanding)
            if isinstance(branch, dict) and "$ref" in branch and len(branch) == 1:
                merged.setdefault("allOf", []).append(branch)  # recursive: validated as a reference
                continue
            branch = self._flatten(branch, inner)
            if isinstance(branch, dict):
                self._merge(merged, branch, inner)
        return merged

    # -- discriminator -----------------------------------------------------------------------------
    def _discriminator(self, node: dict) -> dict:
        discriminator = node.pop("discriminator", None)
        tag = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        branches = node.get("oneOf")
        if not isinstance(tag, str) or not isinstance(branches, list) or not branches:
            return node
        by_value: dict[str, Any] = {}
        for value, ref in (discriminator.get("mapping") or {}).items():
            for branch in branches:
                if isinstance(branch, dict) and branch.get("$ref") == ref:
                    by_value[str(value)] = branch
        if not by_value:
            for branch in branches:
                target, _ = self._deref(branch, frozenset())
                declared = ((target or {}).get("properties") or {}).get(tag) if isinstance(target, dict) else None
                declared = self._deref(declared, frozenset())[0] if isinstance(declared, dict) else None
                values = []
                if isinstance(declared, dict):
                    values = [declared["const"]] if "const" in declared else list(declared.get("enum") or [])
                if not values and isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
                    values = [branch["$ref"].rsplit("/", 1)[-1]]  # OpenAPI's implicit mapping
                for value in values:
                    by_value.setdefault(str(value), branch)
        if not by_value:
            return node
        del node["oneOf"]
        chain: Any = True  # an unknown tag value is reported by the enum below
        for value, branch in reversed(list(by_value.items())):
            chain = {"if": {"properties": {tag: {"const": value}}}, "then": branch, "else": chain}
        node["properties"] = dict(node.get("properties") or {})
        node["properties"][tag] = {**(node["properties"].get(tag) or {}), "enum": list(by_value)}
        node["required"] = list(dict.fromkeys([*(node.get("required") or []), tag]))
        node["x-discriminated"] = True  # keeps `required` in the response view
        node.update(chain)
        return node

    # -- one schema --------------------------------------------------------------------------------
    def schema(self, node: Any, keep_required: bool = False) -> Any:
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = local_pointer(node["$ref"])
            if target is None or pointer_get(self.document, target) is None:
                self.unresolved.add(str(node["$ref"]))
                return {}
        node = self._flatten(node, frozenset())
        node = dict(node)
        if node.get("nullable") is True:
            del node["nullable"]
            kind = node.get("type")
            if isinstance(kind, str):
                node["type"] = [kind, "null"]
            elif isinstance(kind, list):
                node["type"] = list(dict.fromkeys([*kind, "null"]))
            else:
                return {"anyOf": [{"type": "null"}, self.schema(node, keep_required)]}
        for bound in ("Minimum", "Maximum"):
            exclusive, inclusive = "exclusive" + bound, bound.lower()
            if node.get(exclusive) is True:
                node[exclusive] = node.pop(inclusive, None)
                if node[exclusive] is None:
                    del node[exclusive]
            elif node.get(exclusive) is False:
                del node[exclusive]
        for key in _SUBSCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                node[key] = {name: self.schema(value) for name, value in node[key].items()}
        for key in _SUBSCHEMA_ONE:
            if isinstance(node.get(key), dict):
                # PactFlow keeps `required` in conditionals: "if it is a card payment, it has a card number".
                node[key] = self.schema(node[key], keep_required=key in ("if", "then", "else"))
        for key in _SUBSCHEMA_LISTS:
            if isinstance(node.get(key), list):
                node[key] = [self.schema(value) for value in node[key]]
        node = self._discriminator(node)
        if self.response:
            composed = any(k in node for k in ("oneOf", "anyOf", "allOf", "x-discriminated"))
            if node.get("type") == "object" and not composed and node.get("additionalProperties", True) is True:
                node["additionalProperties"] = False
            if "oneOf" not in node and not node.get("x-discriminated") and not keep_required:
                node.pop("required", None)
        return node

    # -- the whole document ------------------------------------------------------------------------
    def document_view(self, node: Any, key: str | None = None) -> Any:
        if key == "schema":
            return self.schema(node)
        if isinstance(node, dict):
            view = {}
            for k, v in node.items():
                if k in _NOT_DESCRIPTION_KEYS or k.startswith("x-"):
                    view[k] = v
                elif k in ("schemas", "definitions") and isinstance(v, dict):
                    view[k] = {name: self.schema(schema) for name, schema in v.items()}
                else:
                    view[k] = self.document_view(v, k)
            return view
        if isinstance(node, list):
            return [self.document_view(v) for v in node]
        return node


def _with_parameter_schemas(document: dict) -> dict:
    """Swagger 2 parameters and headers are their own schemas: give each a `schema` to validate with."""
    document = copy.deepcopy(document)

    def fix(node: Any) -> None:
        if isinstance(node, dict) and "schema" not in node and ("type" in node or "items" in node):
            node["schema"] = {k: v for k, v in node.items() if k not in ("name", "in", "description", "required")}

    for item in [*(document.get("parameters") or {}).values()]:
        fix(item)
    for path_item in (document.get("paths") or {}).values():
        if not isinstance(path_item, dict):
            continue
        for operation in [path_item, *path_item.values()]:
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters") or []:
                fix(parameter)
            for response in (
                (operation.get("responses") or {}).values() if isinstance(operation.get("responses"), dict) else []
            ):  # noqa: E501
                for header in ((response or {}).get("headers") or {}).values() if isinstance(response, dict) else []:
                    fix(header)
    return document


def views_build(document: dict, swagger2: bool) -> tuple[dict, dict, set[str]]:
    """(request view, response view, unresolved references) of a description."""
    source = _with_parameter_schemas(document) if swagger2 else document
    request, response = _Builder(source, response=False), _Builder(source, response=True)
    request_view = request.document_view(source)
    response_view = response.document_view(source)
    return request_view, response_view, request.unresolved | response.unresolved
