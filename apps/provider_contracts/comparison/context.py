"""Everything a comparison needs from one description, built once and reused for every pact.

A worker compares one provider contract with many consumer pacts, so the parsed description, its
two schema views, their validators and the router are kept (a small LRU keyed by the text).
"""

import functools
from dataclasses import dataclass, field
from typing import Any

from apps.provider_contracts.comparison.documents import Description, description_load, description_problems
from apps.provider_contracts.comparison.result import pointer
from apps.provider_contracts.comparison.routing import METHODS, Operation, Router, server_paths
from apps.provider_contracts.comparison.validation import SchemaValidator
from apps.provider_contracts.comparison.views import resolve, views_build


@dataclass
class Context:
    description: Description
    unresolved_references: list[str]
    router: Router
    request_schemas: SchemaValidator
    response_schemas: SchemaValidator
    security_schemes: dict = field(default_factory=dict)

    @functools.cached_property
    def problems(self) -> list[str]:
        """Where the description breaks the OpenAPI specification. Costly (openapi-spec-validator walks the
        whole document: 0.3-0.7 s for 300 operations of OpenAPI 3.0, several seconds for 3.1), so computed
        only when asked for, and then kept with the rest of the context."""
        return description_problems(self.description)

    @property
    def document(self) -> dict:
        return self.description.document

    def resolve(self, node: Any, json_pointer: str) -> tuple[Any, str]:
        return resolve(self.document, node, json_pointer)

    def schema_of(self, node: Any, json_pointer: str) -> dict:
        """The (raw) schema at a place, references followed: for deciding how to read a parameter."""
        schema, _ = self.resolve(node, json_pointer)
        return schema if isinstance(schema, dict) else {}

    def request_resolver(self):
        view = self.request_schemas.view
        return lambda schema: resolve(view, schema, "")[0]


def _operations(document: dict, swagger2: bool) -> list[Operation]:
    operations = []
    for template, path_item in (document.get("paths") or {}).items():
        if not isinstance(path_item, dict):
            continue
        item_pointer = pointer("paths", template)
        item_parameters = [
            (p, f"{item_pointer}/parameters/{i}") for i, p in enumerate(path_item.get("parameters") or [])
        ]
        for method in METHODS:
            operation = path_item.get(method)
            if not isinstance(operation, dict):
                continue
            op_pointer = f"{item_pointer}/{method}"
            own = [(p, f"{op_pointer}/parameters/{i}") for i, p in enumerate(operation.get("parameters") or [])]
            parameters, seen = [], set()
            for raw, raw_pointer in own + item_parameters:
                parameter, parameter_pointer = resolve(document, raw, raw_pointer)
                if not isinstance(parameter, dict) or not isinstance(parameter.get("name"), str):
                    continue
                key = (parameter["name"], parameter.get("in"))
                if key not in seen:
                    seen.add(key)
                    parameters.append({**parameter, "x-pointer": parameter_pointer})
            effective = dict(operation)
            if swagger2:
                for key in ("consumes", "produces"):
                    if effective.get(key) is None and document.get(key) is not None:
                        effective[key] = document[key]
            if effective.get("security") is None and document.get("security") is not None:
                effective["security"] = document["security"]
            operations.append(Operation(template, method, effective, parameters))
    return operations


def _base_path(document: dict, swagger2: bool) -> str:
    info = document.get("info") or {}
    configured = info.get("x-opc-config-base-path") if isinstance(info, dict) else None
    if isinstance(configured, str) and configured:
        return configured
    return document.get("basePath") or "" if swagger2 and isinstance(document.get("basePath"), str) else ""


def _router_options(document: dict) -> dict:
    info = document.get("info") if isinstance(document.get("info"), dict) else {}
    prefix = "x-opc-config-"
    return {key[len(prefix) :]: value for key, value in info.items() if key.startswith(prefix)}


def context_build(text: str | bytes) -> Context:
    """Raises documents.UnreadableDocument when the text is not an OpenAPI or Swagger document."""
    description = description_load(text)
    document, swagger2 = description.document, description.is_swagger2
    request_view, response_view, unresolved = views_build(document, swagger2)
    openapi31 = description.specification == "openapi-3.1"
    router = Router(
        document,
        _operations(document, swagger2),
        _base_path(document, swagger2),
        [] if swagger2 else server_paths(document),
        _router_options(document),
    )
    schemes = (
        document.get("securityDefinitions") if swagger2 else (document.get("components") or {}).get("securitySchemes")
    )
    return Context(
        description=description,
        unresolved_references=sorted(unresolved),
        router=router,
        request_schemas=SchemaValidator(request_view, openapi31),
        response_schemas=SchemaValidator(response_view, openapi31),
        security_schemes=schemes if isinstance(schemes, dict) else {},
    )


@functools.lru_cache(maxsize=8)
def context_for(text: str | bytes) -> Context:
    """context_build, remembered for the last few descriptions (keyed by their text)."""
    return context_build(text)
