"""Checks of an interaction's request against the operation it calls.

In PactFlow's order: path parameters, security, headers (Accept, Content-Type, header parameters,
undocumented headers), query, body. Only path parameters, Accept and Content-Type are checked for
interactions whose response status is 400 or more: a pact may describe a deliberately bad request
("a request without a token gets a 401"), which the provider's schemas need not accept.
"""

from collections.abc import Iterator
from urllib.parse import parse_qs

from apps.provider_contracts.comparison.documents import MISSING, HttpInteraction
from apps.provider_contracts.comparison.media import (
    STANDARD_REQUEST_HEADERS,
    media_type_match,
)
from apps.provider_contracts.comparison.parameters import coerce, query_parse, query_string, value_parse
from apps.provider_contracts.comparison.request_body import request_body_check
from apps.provider_contracts.comparison.result import ERROR, WARNING, pointer
from apps.provider_contracts.comparison.routing import Route
from apps.provider_contracts.comparison.validation import says

SEPARATORS = {"ssv": " ", "tsv": "\t", "pipes": "|"}  # Swagger 2 collectionFormat


def request_media_types(ctx, route: Route) -> list[str]:
    operation = route.operation.operation
    if ctx.description.is_swagger2:
        return list(operation.get("consumes") or [])
    body, _ = ctx.resolve(operation.get("requestBody") or {}, "")
    return list((body.get("content") or {}).keys()) if isinstance(body, dict) else []


def response_media_types(ctx, route: Route, status: str | None = None) -> list[str]:
    """The media types the operation produces: for one response key, or for all of them."""
    operation = route.operation.operation
    if ctx.description.is_swagger2:
        return list(operation.get("produces") or [])
    responses = operation.get("responses") if isinstance(operation.get("responses"), dict) else {}
    keys = [status] if status is not None else list(responses)
    types: list[str] = []
    for key in keys:
        response, _ = ctx.resolve(responses.get(key) or {}, "")
        if isinstance(response, dict):
            types += list((response.get("content") or {}).keys())
    return types


def _parameter_schema(ctx, parameter: dict) -> dict:
    if "schema" in parameter:
        return ctx.schema_of(parameter["schema"], parameter["x-pointer"] + "/schema")
    return {k: v for k, v in parameter.items() if k not in ("name", "in", "description", "required")}


def _validate_parameter(ctx, parameter: dict, value) -> list:
    coerced = coerce(value, {"$ref": "#" + parameter["x-pointer"] + "/schema"}, ctx.request_resolver())
    return ctx.request_schemas.problems(parameter["x-pointer"] + "/schema", coerced, side="request")


class RequestChecks:
    def __init__(self, ctx, interaction: HttpInteraction, route: Route, emit):
        self.ctx, self.ix, self.route, self.emit = ctx, interaction, route, emit
        self.headers = {k.lower(): v for k, v in interaction.request_headers.items()}
        self.checked = interaction.status < 400
        self.label = f"{route.operation.method.upper()} {route.operation.path}"

    def parameters(self, where: str) -> Iterator[dict]:
        return (p for p in self.route.operation.parameters if p.get("in") == where)

    def path(self) -> bool:
        """False when a path parameter is invalid: the path then counts as unknown, as in PactFlow."""
        ok = True
        for parameter in self.parameters("path"):
            name = parameter["name"]
            if name not in self.route.path_parameters or "x-pointer" not in parameter:
                continue
            raw = self.route.path_parameters[name]
            schema = _parameter_schema(self.ctx, parameter)
            value = raw if schema.get("type") == "string" else value_parse(raw)
            if schema.get("type") == "array" and isinstance(value, str):
                style, explode = str(parameter.get("style", "")).lower(), parameter.get("explode")
                value = value.split(
                    "." if style == "label" and explode else ";" if style == "matrix" and explode else ","
                )
            for problem in _validate_parameter(self.ctx, parameter, value):
                ok = False
                self.emit(
                    "request.path-or-method.unknown",
                    ERROR,
                    f"The path {self.ix.path} matches {self.label}, but its path parameter '{name}' {says(problem)}",
                    pact_location="request.path",
                    spec_pointer=parameter["x-pointer"],
                )
        return ok

    def security(self) -> None:
        if not self.checked:
            return
        query = parse_qs(query_string(self.ix.query), keep_blank_values=True)
        missing = []
        for requirement in self.route.operation.operation.get("security") or []:
            if not isinstance(requirement, dict):
                continue
            if not requirement:
                return  # an empty requirement: security is optional
            satisfied = True
            for name in requirement:
                scheme = self.ctx.security_schemes.get(name)
                if not isinstance(scheme, dict):
                    continue
                kind, place = str(scheme.get("type", "")).lower(), str(scheme.get("in", "")).lower()
                auth = self.headers.get("authorization")
                if kind == "apikey" and place == "header":
                    found = str(scheme.get("name", "")).lower() in self.headers
                    what = f"header '{scheme.get('name')}'"
                elif kind == "apikey" and place == "query":
                    found = scheme.get("name") in query
                    what = f"query parameter '{scheme.get('name')}'"
                elif kind == "basic" or (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
                    found = auth is not None and auth.lower().startswith("basic ")
                    what = "'Authorization: Basic ...' header"
                elif kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                    found = auth is not None and auth.lower().startswith("bearer ")
                    what = "'Authorization: Bearer ...' header"
                elif kind == "http":
                    found, what = False, f"'Authorization: {scheme.get('scheme')} ...' header"
                else:  # cookies, OAuth 2, OpenID Connect, mutual TLS: nothing a pact can show
                    found, what = True, ""
                if found:
                    return
                satisfied = False
                missing.append((name, what))
            if satisfied:
                return
        for name, what in missing:
            self.emit(
                "request.authorization.missing",
                ERROR,
                f"{self.label} requires authentication ('{name}'), but the request has no {what}",
                pact_location="request.headers",
                spec_pointer=self.pointer("security"),
            )

    def pointer(self, *more: str) -> str:
        return pointer("paths", self.route.operation.path, self.route.operation.method, *more)

    def headers_check(self) -> bool:
        """False when the request's Content-Type is not one the operation consumes (the body is then not checked)."""
        ok_content_type = True
        consumes = request_media_types(self.ctx, self.route)
        produces_any = response_media_types(self.ctx, self.route)
        produces_here = response_media_types(self.ctx, self.route, str(self.ix.status))
        accept = (self.headers.get("accept") or "").split(";")[0]
        if accept and not produces_any:
            self.emit(
                "request.accept.unknown",
                WARNING,
                f"The request's Accept header is '{self.headers['accept']}', but {self.label} documents no "
                "response media types",
                pact_location="request.headers.accept",
                spec_pointer=self.pointer(),
            )
        if accept and produces_here and not media_type_match(accept, produces_any):
            self.emit(
                "request.accept.incompatible",
                ERROR,
                f"The request's Accept header is '{self.headers['accept']}', but {self.label} responds only "
                f"with {', '.join(produces_any)}",
                pact_location="request.headers.accept",
                spec_pointer=self.pointer("responses"),
            )
        content_type = (self.headers.get("content-type") or "").split(";")[0]
        if content_type and not consumes:
            self.emit(
                "request.content-type.unknown",
                WARNING,
                f"The request's Content-Type is '{self.headers['content-type']}', but {self.label} documents no "
                "request body media types",
                pact_location="request.headers.content-type",
                spec_pointer=self.pointer(),
            )
        if content_type and consumes and not media_type_match(content_type, consumes):
            ok_content_type = False
            self.emit(
                "request.content-type.incompatible",
                ERROR,
                f"The request's Content-Type is '{self.headers['content-type']}', but {self.label} accepts only "
                f"{', '.join(consumes)}",
                pact_location="request.headers.content-type",
                spec_pointer=self.pointer("consumes" if self.ctx.description.is_swagger2 else "requestBody"),
            )
        body = self.ix.request_body
        if not content_type and consumes and body is not MISSING and body not in ("", 0, False, None):
            self.emit(
                "request.content-type.missing",
                WARNING,
                f"The request has a body but no Content-Type header; {self.label} accepts {', '.join(consumes)}",
                pact_location="request.headers",
                spec_pointer=self.pointer(),
            )
        security_headers = set()
        if self.checked:
            for requirement in self.route.operation.operation.get("security") or []:
                for name in requirement if isinstance(requirement, dict) else []:
                    scheme = self.ctx.security_schemes.get(name)
                    if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                        security_headers.add(str(scheme.get("name", "")).lower())
        remaining = dict(self.headers)
        declared = set()
        for parameter in self.parameters("header"):
            name = parameter["name"].lower()
            declared.add(name)
            raw = self.headers.get(name)
            schema = _parameter_schema(self.ctx, parameter)
            is_text = schema.get("type") == "string" or any(
                isinstance(s, dict) and s.get("type") == "string"
                for s in (schema.get("anyOf") or []) + (schema.get("oneOf") or [])
            )
            if raw is not None and self.checked:
                for problem in _validate_parameter(self.ctx, parameter, raw if is_text else value_parse(raw)):
                    self.emit(
                        "request.header.incompatible",
                        ERROR,
                        f"The request header '{parameter['name']}' {says(problem)} ({self.label})",
                        pact_location=f"request.headers.{parameter['name']}",
                        spec_pointer=parameter["x-pointer"],
                    )
            if raw is None and parameter.get("required") and self.checked:
                self.emit(
                    "request.header.incompatible",
                    ERROR,
                    f"The request lacks the header '{parameter['name']}', which {self.label} requires",
                    pact_location=f"request.headers.{parameter['name']}",
                    spec_pointer=parameter["x-pointer"],
                )
            remaining.pop(name, None)
        for name in STANDARD_REQUEST_HEADERS - declared:
            remaining.pop(name, None)
        if self.checked:
            for name in remaining:
                if name not in security_headers:
                    self.emit(
                        "request.header.unknown",
                        WARNING,
                        f"The request header '{name}' is not documented for {self.label}",
                        pact_location=f"request.headers.{name}",
                        spec_pointer=self.pointer("parameters"),
                    )
        return ok_content_type

    def query(self) -> None:
        text = query_string(self.ix.query)
        parsed, unparsed = query_parse(text), query_parse(text, comma=False)
        security_names = set()
        for parameter in self.parameters("query"):
            name = parameter["name"]
            schema = _parameter_schema(self.ctx, parameter)
            if schema.get("type") == "string":
                if name in unparsed:
                    parsed[name] = unparsed[name]
                else:
                    parsed.pop(name, None)
            present = name in parsed
            value = parsed.pop(name, None)
            if not self.checked or not (present or parameter.get("required")):
                continue
            if not present:
                self.emit(
                    "request.query.incompatible",
                    ERROR,
                    f"The request lacks the query parameter '{name}', which {self.label} requires",
                    pact_location="request.query",
                    spec_pointer=parameter["x-pointer"],
                )
                continue
            if schema.get("type") == "array" and isinstance(value, str):
                separator = (
                    "," if not self.ctx.description.is_swagger2 else SEPARATORS.get(schema.get("collectionFormat"), ",")
                )
                value = value.split(separator)
            for problem in _validate_parameter(self.ctx, parameter, value):
                self.emit(
                    "request.query.incompatible",
                    ERROR,
                    f"The query parameter '{name}' {says(problem)} ({self.label})",
                    pact_location=f"request.query.{name}",
                    spec_pointer=parameter["x-pointer"],
                )
        if not self.checked:
            return
        for requirement in self.route.operation.operation.get("security") or []:
            for scheme_name in requirement if isinstance(requirement, dict) else []:
                scheme = self.ctx.security_schemes.get(scheme_name)
                if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "query":
                    security_names.add(scheme.get("name"))
        for name in parsed:
            if name not in security_names:
                self.emit(
                    "request.query.unknown",
                    WARNING,
                    f"The query parameter '{name}' is not documented for {self.label}",
                    pact_location=f"request.query.{name}",
                    spec_pointer=self.pointer("parameters"),
                )

    def request_media_types(self) -> list[str]:
        return request_media_types(self.ctx, self.route)

    def body(self) -> None:
        request_body_check(self)
