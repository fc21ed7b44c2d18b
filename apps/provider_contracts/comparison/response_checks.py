"""Checks of an interaction's response against the operation's documented responses.

The status picks the response: the exact code, else its range (`2XX`), else `default` (a warning:
PactFlow accepts it but flags it). Then the Content-Type, the headers (declared ones validated,
standard ones a warning when undocumented, any other undocumented header an error) and the body,
against the response view of the schema (no undocumented fields; `required` does not apply).
The body's media type is negotiated from the request's Accept header.
"""

from apps.provider_contracts.comparison.documents import MISSING, HttpInteraction
from apps.provider_contracts.comparison.media import (
    STANDARD_RESPONSE_HEADERS,
    VALIDATABLE_MEDIA_TYPES,
    media_type_match,
)
from apps.provider_contracts.comparison.parameters import coerce
from apps.provider_contracts.comparison.result import ERROR, WARNING, pointer
from apps.provider_contracts.comparison.routing import Route
from apps.provider_contracts.comparison.validation import says
from apps.provider_contracts.comparison.views import pointer_get


def _falsy(value) -> bool:
    # JavaScript's falsiness, which decides whether PactFlow looks at a body at all.
    return (
        value is MISSING
        or value is None
        or value is False
        or value == ""
        or (isinstance(value, int | float) and not isinstance(value, bool) and value == 0)
    )


class ResponseChecks:
    def __init__(self, ctx, interaction: HttpInteraction, route: Route, emit):
        self.ctx, self.ix, self.route, self.emit = ctx, interaction, route, emit
        self.label = f"{route.operation.method.upper()} {route.operation.path}"
        self.operation_pointer = pointer("paths", route.operation.path, route.operation.method)
        responses = route.operation.operation.get("responses")
        self.responses = responses if isinstance(responses, dict) else {}
        status = str(interaction.status)
        self.key = next((k for k in (status, f"{status[0]}XX", "default") if k in self.responses), None)
        self.response, self.response_pointer = (None, None)
        if self.key is not None:
            raw_pointer = f"{self.operation_pointer}/responses/{self.key}"
            response, self.response_pointer = ctx.resolve(self.responses[self.key], raw_pointer)
            self.response = response if isinstance(response, dict) else {}

    def _media_types(self) -> list[str]:
        if self.ctx.description.is_swagger2:
            return list(self.route.operation.operation.get("produces") or [])
        return (
            list((self.response.get("content") or {}).keys()) if isinstance(self.response.get("content"), dict) else []
        )

    def headers(self) -> bool:
        """False when the response's Content-Type is not one the response documents (the body is then not checked)."""
        if self.response is None:
            return True
        ok = True
        produces = self._media_types()
        headers = {k.lower(): v for k, v in self.ix.response_headers.items()}
        content_type = (headers.get("content-type") or "").split(";")[0]
        where = f"{self.label} {self.key}"
        if content_type and not produces:
            self.emit(
                "response.content-type.unknown",
                WARNING,
                f"The response's Content-Type is '{headers['content-type']}', but {where} documents no media types",
                pact_location="response.headers.content-type",
                spec_pointer=self.response_pointer,
            )
        if content_type and produces and not media_type_match(content_type, produces):
            ok = False
            self.emit(
                "response.content-type.incompatible",
                ERROR,
                f"The response's Content-Type is '{headers['content-type']}', but {where} is documented only as "
                f"{', '.join(produces)}",
                pact_location="response.headers.content-type",
                spec_pointer=self.response_pointer,
            )
        headers.pop("content-type", None)
        declared = self.response.get("headers") if isinstance(self.response.get("headers"), dict) else {}
        for name, header in declared.items():
            value = headers.pop(name.lower(), None)
            header_pointer = f"{self.response_pointer}{pointer('headers', name)}"
            header, header_pointer = self.ctx.resolve(header, header_pointer)
            schema_pointer = header_pointer + "/schema"
            if value is None or pointer_get(self.ctx.request_schemas.view, schema_pointer) is None:
                continue
            coerced = coerce(value, {"$ref": "#" + schema_pointer}, self.ctx.request_resolver())
            for problem in self.ctx.request_schemas.problems(schema_pointer, coerced, side="request"):
                self.emit(
                    "response.header.incompatible",
                    ERROR,
                    f"The response header '{name}' {says(problem)} ({where})",
                    pact_location=f"response.headers.{name}",
                    spec_pointer=header_pointer,
                )
        for name in STANDARD_RESPONSE_HEADERS:
            if headers.pop(name, None) is not None:
                self.emit(
                    "response.header.undefined",
                    WARNING,
                    f"The standard response header '{name}' is not documented for {where}",
                    pact_location=f"response.headers.{name}",
                    spec_pointer=self.response_pointer,
                )
        for name in headers:
            self.emit(
                "response.header.unknown",
                ERROR,
                f"The response header '{name}' is not documented for {where}: the provider does not promise to send it",
                pact_location=f"response.headers.{name}",
                spec_pointer=f"{self.response_pointer}/headers",
            )
        return ok

    def status(self) -> bool:
        if self.response is None:
            documented = ", ".join(sorted(self.responses)) or "none"
            self.emit(
                "response.status.unknown",
                ERROR,
                f"The response status {self.ix.status} is not documented for {self.label} (documented: {documented})",
                pact_location="response.status",
                spec_pointer=f"{self.operation_pointer}/responses",
            )
            return False
        if self.key == "default":
            self.emit(
                "response.status.default",
                WARNING,
                f"The response status {self.ix.status} is covered only by the default response of {self.label}",
                pact_location="response.status",
                spec_pointer=self.response_pointer,
            )
        return True

    def body(self) -> None:
        if self.response is None:
            return
        produces = self._media_types()
        accept = {k.lower(): v for k, v in self.ix.request_headers.items()}.get("accept") or "application/json"
        media_type = media_type_match(accept, produces) or (produces[0] if produces else "application/json")
        if self.ctx.description.is_swagger2:
            schema_pointer = self.response_pointer + "/schema" if "schema" in self.response else None
        else:
            content = self.response.get("content") if isinstance(self.response.get("content"), dict) else {}
            key = media_type_match(media_type, list(content))
            found = key is not None and isinstance(content[key], dict) and "schema" in content[key]
            schema_pointer = self.response_pointer + pointer("content", key, "schema") if found else None
        body = self.ix.response_body
        where = f"{self.label} {self.key}"
        if media_type_match(media_type, VALIDATABLE_MEDIA_TYPES) is None:
            if body is not MISSING:
                self.emit(
                    "response.body.unvalidatable",
                    WARNING,
                    f"The response body is '{media_type}', which the comparison cannot check ({where})",
                    pact_location="response.body",
                    spec_pointer=self.response_pointer,
                )
            return
        if _falsy(body):
            return
        if schema_pointer is None:
            self.emit(
                "response.body.unknown",
                ERROR,
                f"The response has a body, but {where} documents no body schema for '{media_type}': the provider "
                "does not promise to send one",
                pact_location="response.body",
                spec_pointer=self.response_pointer,
            )
            return
        for problem in self.ctx.response_schemas.problems(schema_pointer, body, side="response"):
            self.emit(
                "response.body.incompatible",
                ERROR,
                f"The response body {says(problem)} ({where}, {media_type})",
                pact_location="response.body" + problem.location[1:],
                spec_pointer=schema_pointer,
            )
