"""Each comparison rule, with the exact mismatch a consumer developer reads."""

import json

from apps.provider_contracts.comparison import compare

PETS = """
openapi: 3.0.3
info: {title: pets, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        born: {type: string, format: date, nullable: true}
paths:
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: fields, in: query, schema: {type: array, items: {type: string, enum: [id, name]}}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
      responses:
        "200":
          description: a pet
          headers:
            X-Version: {schema: {type: integer}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "4XX": {description: not found}
  /pets:
    post:
      security: [{bearer: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties: {name: {type: string, minLength: 1}}
      responses:
        "201": {description: created}
        default: {description: an error}
"""


def interaction(method="GET", path="/pets/1", status=200, **parts):
    request = {"method": method, "path": path}
    response = {"status": status}
    for key, value in parts.items():
        side, field = key.split("_", 1)
        (request if side == "req" else response)[field] = value
    request.setdefault("headers", {"X-Trace": "t"}) if method == "GET" else None
    return {"description": "it", "request": request, "response": response}


def run(*interactions, description=PETS):
    return compare(
        {"interactions": list(interactions), "metadata": {"pactSpecification": {"version": "3.0.0"}}}, description
    )


def messages(result, severity="error"):
    return [(m.code, m.message) for m in result.mismatches if m.severity == severity]


def test_a_pact_within_the_description_is_compatible():
    result = run(interaction(res_body={"id": 1, "born": None}, res_headers={"X-Version": "2"}))
    assert result.compatible and result.mismatches == [] and result.specification == "openapi-3.0"


def test_an_unknown_path_names_the_method_and_path():
    assert messages(run(interaction(path="/owners/1"))) == [
        (
            "request.path-or-method.unknown",
            "The provider's OpenAPI description has no operation for GET /owners/1: "
            "no path of the description matches it",
        )
    ]


def test_a_known_path_with_another_method_lists_the_documented_methods():
    assert messages(run(interaction(method="DELETE", path="/pets/1"))) == [
        (
            "request.path-or-method.unknown",
            "The provider's OpenAPI description has no operation for DELETE /pets/1: "
            "the path is documented only for GET",
        )
    ]


def test_a_path_under_a_servers_base_path_is_found():
    assert run(interaction(path="/v1/pets/1")).compatible


def test_an_invalid_path_parameter_makes_the_path_unknown():
    assert messages(run(interaction(path="/pets/rex"))) == [
        (
            "request.path-or-method.unknown",
            "The path /pets/rex matches GET /pets/{id}, but its path parameter 'id' is a string (\"rex\"), "
            "the provider's schema says integer",
        )
    ]


def test_a_required_request_header_is_required():
    assert messages(run(interaction(req_headers={}))) == [
        ("request.header.incompatible", "The request lacks the header 'X-Trace', which GET /pets/{id} requires")
    ]


def test_query_values_are_read_as_arrays_and_checked_against_items():
    assert run(interaction(req_query={"fields": ["id,name"]})).compatible
    assert messages(run(interaction(req_query={"fields": ["id", "age"]}))) == [
        (
            "request.query.incompatible",
            'The query parameter \'fields\' at $[1] is "age", the provider\'s schema allows only ["id", "name"] '
            "(GET /pets/{id})",
        )
    ]


def test_an_undocumented_query_parameter_is_a_warning_only():
    result = run(interaction(req_query={"page": ["2"]}))
    assert result.compatible
    assert messages(result, "warning") == [
        ("request.query.unknown", "The query parameter 'page' is not documented for GET /pets/{id}")
    ]


def test_an_undocumented_response_field_is_an_error_with_advice():
    result = run(interaction(res_body={"id": 1, "colour": "red"}))
    assert messages(result) == [
        (
            "response.body.incompatible",
            "The response body has 'colour', which the provider's schema does not document: the provider does not "
            "promise to send it (remove it from the pact, or have the provider add it to its OpenAPI description) "
            "(GET /pets/{id} 200, application/json)",
        )
    ]
    mismatch = result.errors[0]
    assert (mismatch.spec_path, mismatch.spec_method, mismatch.spec_status) == ("/pets/{id}", "get", "200")
    assert mismatch.spec_pointer == "/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema"
    assert (mismatch.interaction_index, mismatch.interaction_description) == (0, "it")


def test_a_response_may_leave_out_required_fields_but_not_break_types_or_formats():
    assert run(interaction(res_body={"name": "Rex"})).compatible
    assert messages(run(interaction(res_body={"born": "yesterday"}))) == [
        (
            "response.body.incompatible",
            'The response body at $.born is "yesterday", which is not a valid date (the format the provider\'s schema '
            "gives) (GET /pets/{id} 200, application/json)",
        )
    ]


def test_a_request_body_must_have_the_required_fields():
    post = interaction(
        method="POST",
        path="/pets",
        status=201,
        req_headers={"Authorization": "Bearer t", "Content-Type": "application/json"},
        req_body={},
    )
    assert messages(run(post)) == [
        (
            "request.body.incompatible",
            "The request body lacks 'name', which the provider's schema requires (POST /pets, application/json)",
        )
    ]


def test_security_requires_the_scheme_of_the_description():
    post = interaction(
        method="POST",
        path="/pets",
        status=201,
        req_headers={"Content-Type": "application/json"},
        req_body={"name": "a"},
    )
    assert messages(run(post)) == [
        (
            "request.authorization.missing",
            "POST /pets requires authentication ('bearer'), but the request has no 'Authorization: Bearer ...' header",
        )
    ]


def test_a_deliberately_bad_request_is_not_checked():
    post = interaction(
        method="POST", path="/pets", status=400, req_headers={"Content-Type": "application/json"}, req_body={"name": 5}
    )
    result = run(post)
    assert result.compatible
    assert messages(result, "warning") == [
        ("response.status.default", "The response status 400 is covered only by the default response of POST /pets")
    ]


def test_status_ranges_match_and_undocumented_statuses_do_not():
    assert run(interaction(status=404)).compatible
    assert messages(run(interaction(status=500))) == [
        (
            "response.status.unknown",
            "The response status 500 is not documented for GET /pets/{id} (documented: 200, 4XX)",
        )
    ]


def test_response_headers_are_validated_and_undocumented_ones_refused():
    assert messages(run(interaction(res_headers={"X-Version": "new", "X-Other": "1"}))) == [
        (
            "response.header.incompatible",
            "The response header 'X-Version' is a string (\"new\"), "
            "the provider's schema says integer (GET /pets/{id} 200)",
        ),
        (
            "response.header.unknown",
            "The response header 'x-other' is not documented for GET /pets/{id} 200: "
            "the provider does not promise to send it",
        ),
    ]


def test_a_response_content_type_must_be_documented():
    assert messages(run(interaction(res_headers={"Content-Type": "text/html"}, res_body="<p/>"))) == [
        (
            "response.content-type.incompatible",
            "The response's Content-Type is 'text/html', but GET /pets/{id} 200 is documented only as application/json",
        )
    ]


def test_an_accept_header_is_negotiated_against_the_documented_media_types():
    assert run(interaction(req_headers={"X-Trace": "t", "Accept": "application/hal+json"})).compatible
    assert messages(run(interaction(req_headers={"X-Trace": "t", "Accept": "text/csv"}))) == [
        (
            "request.accept.incompatible",
            "The request's Accept header is 'text/csv', but GET /pets/{id} responds only with application/json",
        )
    ]


def test_message_interactions_are_not_comparable_and_do_not_fail():
    result = compare(
        {"interactions": [{"type": "Asynchronous/Messages", "description": "pet created"}], "metadata": {}}, PETS
    )
    assert result.compatible and result.interactions_compared == 0
    assert messages(result, "warning") == [
        (
            "interaction.not-comparable",
            "Interaction 'pet created' is not an HTTP interaction (Asynchronous/Messages): "
            "an OpenAPI description cannot "
            "say whether it is compatible",
        )
    ]


def test_an_unreadable_description_is_a_result_not_an_exception():
    for text, reason in [
        ("{not json", "it is neither JSON nor YAML (did not find expected ',' or '}' at line 2, column 1)"),
        ("[1, 2]", "it is not an OpenAPI document (the top level is not a mapping)"),
        (
            '{"swagger": "1.2"}',
            'it is not an OpenAPI document: it needs `openapi: "3.x"` (OpenAPI 3) or `swagger: "2.0"` (Swagger 2)',
        ),
        (b"\xff\xfe", "it is not UTF-8 text (invalid start byte at byte 0)"),
    ]:
        result = run(interaction(), description=text)
        assert not result.compatible and result.specification is None
        assert messages(result) == [("spec.unparsable", f"The provider's OpenAPI description cannot be read: {reason}")]


def test_an_invalid_description_is_compared_with_a_warning():
    document = {"openapi": "3.1.0", "info": {"title": "t"}, "paths": {"/x": {"get": {"responses": {"200": {}}}}}}
    result = run(interaction(path="/x"), description=json.dumps(document))
    assert result.compatible and result.specification == "openapi-3.1"
    assert messages(result, "warning")[0] == (
        "spec.invalid",
        "The provider's OpenAPI description is not valid: 'version' is a required property (at /info)",
    )


def test_a_reference_to_nothing_is_a_warning_and_checks_nothing():
    document = PETS.replace('$ref: "#/components/schemas/Pet"', '$ref: "#/components/schemas/Missing"')
    result = run(interaction(res_body={"anything": True}), description=document)
    assert result.compatible
    assert (
        "spec.reference.unresolved",
        "The reference '#/components/schemas/Missing' of the provider's OpenAPI description points nowhere in it; "
        "values there are not checked",
    ) in messages(result, "warning")


def test_an_unreadable_pact_is_a_result_not_an_exception():
    assert messages(compare({"interactions": [{"request": {}, "response": {}}]}, PETS)) == [
        (
            "pact.unparsable",
            "The pact cannot be read: interaction 0 (no description): its request has no method or no path",
        )
    ]
    assert messages(compare("not json", PETS)) == [
        ("pact.unparsable", "The pact cannot be read: the pact is not a JSON object")
    ]


def test_results_serialise_for_storage():
    result = run(interaction(res_body={"id": "1"}))
    assert result.to_dict()["compatible"] is False
    assert result.to_dict()["mismatches"][0] == {
        "code": "response.body.incompatible",
        "severity": "error",
        "message": 'The response body at $.id is a string ("1"), the provider\'s schema says integer '
        "(GET /pets/{id} 200, application/json)",
        "interactionIndex": 0,
        "interactionDescription": "it",
        "pactLocation": "interactions[0].response.body.id",
        "specPath": "/pets/{id}",
        "specMethod": "get",
        "specStatus": "200",
        "specPointer": "/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema",
    }
