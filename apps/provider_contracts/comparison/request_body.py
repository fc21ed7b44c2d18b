"""The request body against the operation's schema for its media type.

The media type is the request's Content-Type (JSON when it has none), matched against the
operation's; JSON, form (`application/x-www-form-urlencoded`) and multipart bodies are validated,
others are reported as not validatable (a warning). A body the operation documents no schema for is
a warning; a missing body the operation requires is an error.
"""

from email.parser import BytesParser
from email.policy import HTTP

from apps.provider_contracts.comparison.documents import MISSING
from apps.provider_contracts.comparison.media import VALIDATABLE_MEDIA_TYPES, media_type_match
from apps.provider_contracts.comparison.parameters import query_parse
from apps.provider_contracts.comparison.result import ERROR, WARNING, pointer
from apps.provider_contracts.comparison.validation import says


def request_body_check(checks) -> None:
    """`checks` is the interaction's RequestChecks (request_checks.py)."""
    ix, ctx = checks.ix, checks.ctx
    operation = checks.route.operation.operation
    consumes = checks.request_media_types()
    declared_type = checks.headers.get("content-type") or ""
    media_type = (media_type_match(declared_type, consumes) or declared_type) if declared_type else "application/json"
    schema_pointer, required = None, False
    if ctx.description.is_swagger2:
        for parameter in checks.parameters("body"):
            schema_pointer, required = parameter["x-pointer"] + "/schema", bool(parameter.get("required"))
    else:
        request_body, body_pointer = ctx.resolve(operation.get("requestBody") or {}, checks.pointer("requestBody"))
        if isinstance(request_body, dict):
            required = bool(request_body.get("required"))
            content = request_body.get("content") if isinstance(request_body.get("content"), dict) else {}
            key = media_type_match(media_type, list(content))
            if key is not None and isinstance(content[key], dict) and "schema" in content[key]:
                schema_pointer = body_pointer + pointer("content", key, "schema")
    body = ix.request_body
    if not required and body is MISSING:
        return
    if media_type_match(media_type, VALIDATABLE_MEDIA_TYPES) is None:
        if body is not MISSING and checks.checked:
            checks.emit(
                "request.body.unvalidatable",
                WARNING,
                f"The request body is '{media_type}', which the comparison cannot check ({checks.label})",
                pact_location="request.body",
                spec_pointer=checks.pointer("requestBody"),
            )
        return
    if not checks.checked:
        return
    if schema_pointer is not None:
        if body is MISSING:
            if ctx.schema_of({"$ref": "#" + schema_pointer}, schema_pointer):
                checks.emit(
                    "request.body.incompatible",
                    ERROR,
                    f"The request has no body, but {checks.label} requires one",
                    pact_location="request.body",
                    spec_pointer=schema_pointer,
                )
            return
        value = _body_parse(body, declared_type)
        for problem in ctx.request_schemas.problems(schema_pointer, value, side="request"):
            checks.emit(
                "request.body.incompatible",
                ERROR,
                f"The request body {says(problem)} ({checks.label}, {media_type})",
                pact_location="request.body" + problem.location[1:],
                spec_pointer=schema_pointer,
            )
    elif body is not MISSING and body not in ("", 0, False, None):
        checks.emit(
            "request.body.unknown",
            WARNING,
            f"The request has a body, but {checks.label} documents no request body schema for '{media_type}'",
            pact_location="request.body",
            spec_pointer=checks.pointer("requestBody"),
        )


def _body_parse(body, content_type: str):
    """A form or multipart body given as text, read into fields (as PactFlow does with qs and a multipart parser)."""
    if not isinstance(body, str):
        return body
    if "application/x-www-form-urlencoded" in content_type:
        return query_parse(body)
    if "multipart/form-data" in content_type and "boundary=" in content_type:
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body.encode("utf-8", errors="replace")
        )
        if message.is_multipart():
            fields = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name:
                    fields[name] = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
            return fields
    return body
