"""compare(): one pact against one OpenAPI description (the algorithm is in this package's docstring)."""

from typing import Any

from apps.provider_contracts.comparison.context import Context, context_for
from apps.provider_contracts.comparison.documents import (
    HttpInteraction,
    OtherInteraction,
    UnreadableDocument,
    document_parse,
    pact_interactions,
)
from apps.provider_contracts.comparison.request_checks import RequestChecks
from apps.provider_contracts.comparison.response_checks import ResponseChecks
from apps.provider_contracts.comparison.result import (
    ERROR,
    INTERACTION_NOT_COMPARABLE,
    PACT_UNPARSABLE,
    SPEC_INVALID,
    SPEC_REFERENCE_UNRESOLVED,
    SPEC_UNPARSABLE,
    WARNING,
    ComparisonResult,
    Mismatch,
)


def compare(
    pact: Any, openapi: str | bytes, content_type: str | None = None, *, check_description: bool = True
) -> ComparisonResult:
    """Compare a pact (a parsed JSON document, or its text) with an OpenAPI/Swagger description (text).

    `content_type` is the description's declared media type (YAML or JSON); the text is read as JSON
    when it is JSON and as YAML otherwise, whatever is declared, since publishers often get it wrong.
    Never raises for bad input: an unreadable pact or description is a result with one error.

    `check_description=False` leaves out the warnings of the OpenAPI conformance check, the one costly
    step (see Context.problems): for a caller that checks each description once, when it is published,
    with `description_problems`, and compares it with many pacts.
    """
    del content_type  # both formats are recognised from the text itself
    result = ComparisonResult()
    try:
        ctx = context_for(openapi)
    except UnreadableDocument as exc:
        result.mismatches.append(
            Mismatch(SPEC_UNPARSABLE, ERROR, f"The provider's OpenAPI description cannot be read: {exc}")
        )
        return result
    result.specification = ctx.description.specification
    for problem in ctx.problems if check_description else ():
        result.mismatches.append(
            Mismatch(SPEC_INVALID, WARNING, f"The provider's OpenAPI description is not valid: {problem}")
        )
    for reference in ctx.unresolved_references:
        result.mismatches.append(
            Mismatch(
                SPEC_REFERENCE_UNRESOLVED,
                WARNING,
                f"The reference {reference!r} of the provider's OpenAPI description points nowhere in it; "
                "values there are not checked",
            )
        )
    try:
        if isinstance(pact, str | bytes):
            pact = document_parse(pact)
        interactions = pact_interactions(pact)
    except UnreadableDocument as exc:
        result.mismatches.append(Mismatch(PACT_UNPARSABLE, ERROR, f"The pact cannot be read: {exc}"))
        return result
    for interaction in interactions:
        if isinstance(interaction, OtherInteraction):
            result.mismatches.append(
                Mismatch(
                    INTERACTION_NOT_COMPARABLE,
                    WARNING,
                    f"Interaction '{interaction.description or interaction.index}' is not an HTTP interaction "
                    f"({interaction.kind}): an OpenAPI description cannot say whether it is compatible",
                    interaction_index=interaction.index,
                    interaction_description=interaction.description,
                )
            )
            continue
        result.interactions_compared += 1
        result.mismatches.extend(interaction_compare(ctx, interaction))
    return result


def description_problems(openapi: str | bytes) -> list[str]:
    """Where a description breaks the OpenAPI specification ([] when it cannot be read at all)."""
    try:
        return list(context_for(openapi).problems)
    except UnreadableDocument:
        return []


def interaction_compare(ctx: Context, ix: HttpInteraction) -> list[Mismatch]:
    found: list[Mismatch] = []
    route = ctx.router.route(ix.method, ix.path)

    def emit(code, severity, message, *, pact_location=None, spec_pointer=None):
        found.append(
            Mismatch(
                code=code,
                severity=severity,
                message=message,
                interaction_index=ix.index,
                interaction_description=ix.description,
                provider_state=ix.provider_state,
                pact_location=f"interactions[{ix.index}]." + pact_location if pact_location else None,
                spec_path=route.operation.path if route else None,
                spec_method=route.operation.method if route else None,
                spec_status=response.key if route and response is not None else None,
                spec_pointer=spec_pointer,
            )
        )

    response = None
    if route is None:
        others = ctx.router.methods_for(ix.path)
        detail = (
            f"the path is documented only for {', '.join(others)}"
            if others
            else "no path of the description matches it"
        )
        emit(
            "request.path-or-method.unknown",
            ERROR,
            f"The provider's OpenAPI description has no operation for {ix.method.upper()} {ix.path}: {detail}",
            pact_location="request.path",
            spec_pointer="/paths",
        )
        return found
    response = ResponseChecks(ctx, ix, route, emit)
    request = RequestChecks(ctx, ix, route, emit)
    if not request.path():
        return found
    request.security()
    content_type_ok = request.headers_check()
    request.query()
    if content_type_ok:
        request.body()
    content_type_ok = response.headers()
    if response.status() and content_type_ok:
        response.body()
    return found
