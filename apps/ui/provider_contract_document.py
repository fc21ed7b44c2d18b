"""A provider contract for people: its OpenAPI operations, and each consumer's comparison result with
the mismatches grouped by interaction (what a consumer developer acts on)."""

from dataclasses import dataclass, field

from apps.provider_contracts.comparison.documents import UnreadableDocument, document_parse

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    responses: list[str]


@dataclass
class ContractDocument:
    title: str = ""
    version: str = ""
    specification: str = ""
    operations: list[Operation] = field(default_factory=list)
    error: str | None = None


def contract_document(text: str) -> ContractDocument:
    try:
        doc = document_parse(text)
    except UnreadableDocument as exc:
        return ContractDocument(error=f"The description cannot be read: {exc}")
    if not isinstance(doc, dict):
        return ContractDocument(error="The description is not an OpenAPI document")
    info = doc.get("info") if isinstance(doc.get("info"), dict) else {}
    spec = (
        f"OpenAPI {doc['openapi']}" if "openapi" in doc else (f"Swagger {doc['swagger']}" if "swagger" in doc else "")
    )
    result = ContractDocument(
        title=str(info.get("title", "")), version=str(info.get("version", "")), specification=spec
    )
    paths = doc.get("paths") if isinstance(doc.get("paths"), dict) else {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            responses = operation.get("responses") if isinstance(operation.get("responses"), dict) else {}
            result.operations.append(
                Operation(
                    method=method.upper(),
                    path=str(path),
                    summary=str(operation.get("summary") or operation.get("operationId") or ""),
                    responses=[str(code) for code in responses],
                )
            )
    if not spec:
        result.error = "The description names no OpenAPI or Swagger version"
    return result


@dataclass
class InteractionMismatches:
    description: str
    mismatches: list[dict]


def mismatches_by_interaction(results: dict) -> list[InteractionMismatches]:
    """Errors first, grouped by interaction in pact order; findings about the whole document last."""
    groups: dict = {}
    for mismatch in sorted(results.get("mismatches", []), key=lambda m: m.get("severity") != "error"):
        key = mismatch.get("interactionIndex", -1)
        label = mismatch.get("interactionDescription") or (
            f"Interaction {key + 1}" if key >= 0 else "The whole pact or description"
        )
        groups.setdefault(key, InteractionMismatches(label, [])).mismatches.append(mismatch)
    return [groups[key] for key in sorted(groups, key=lambda k: (k < 0, k))]
