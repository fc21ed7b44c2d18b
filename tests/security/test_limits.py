"""Abuse limits (issue 13): request body size, JSON depth, name lengths, page sizes, the matrix limit,
and inputs that must stay linear (pact merge, near-duplicate names).

Every refusal is a 4xx in the broker's error shape and writes nothing; the server stays healthy.
"""

import json

import pytest
from django_tenants.utils import schema_context

from apps.contracts.models import Pacticipant, PactPublication, Version
from apps.contracts.services.find_or_create import pacticipants_find_or_create
from apps.environments.models import Environment
from apps.secrets.models import Secret
from apps.verifications.models import Verification
from apps.webhooks.models import Webhook
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put, verification_post

DEEP = 5000  # far beyond JSON_MAX_DEPTH, and beyond Python's recursion limit


def _state(org):
    with schema_context(org.schema):
        return tuple(
            model.objects.count()
            for model in (Pacticipant, Version, PactPublication, Verification, Webhook, Secret, Environment)
        )


def _deep(depth: int):
    return json.loads("[" * depth + "]" * depth)


def _deep_text(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def _webhook_body(**extra):
    return {
        "events": [{"name": "contract_published"}],
        "request": {"method": "POST", "url": "https://example.com/hook", **extra},
    }


def _json(client, method, path, body: str, content_type="application/json"):
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, data=body, content_type=content_type)


def _published(org):
    client = org.client()
    assert pact_put(client, pact_fixture("foo-bar")).status_code == 201
    return client, client.get("/pacts/provider/Bar/consumer/Foo/latest").json()


# --- Request body size ------------------------------------------------------------------------------

JSON_ENDPOINTS = [
    ("put", "/pacts/provider/Bar/consumer/Foo/version/1.0.0"),
    ("patch", "/pacts/provider/Bar/consumer/Foo/version/1.0.0"),
    ("post", "/contracts/publish"),
    ("post", "/pacts/provider/Bar/for-verification"),
    ("post", "/webhooks"),
    ("post", "/secrets"),
    ("post", "/pacticipants"),
    ("post", "/environments"),
]


@pytest.mark.parametrize("method, path", JSON_ENDPOINTS)
def test_a_body_over_the_size_limit_is_refused_with_413_and_nothing_is_written(acme, settings, method, path):
    settings.REQUEST_BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    before = _state(acme)
    body = json.dumps({"name": "x" * 5000, "description": "x"})
    response = _json(acme.client(), method, path, body)
    assert response.status_code == 413
    assert response.json() == {"error": f"Request body too large ({len(body)} bytes): the maximum is 4096 bytes"}
    assert _state(acme) == before


def test_a_verification_result_over_the_size_limit_is_refused_with_413(acme, settings):
    client, pact = _published(acme)
    before = _state(acme)
    settings.REQUEST_BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = verification_post(client, pact, buildUrl="https://ci.example/" + "x" * 5000)
    assert response.status_code == 413
    assert response.json()["error"].startswith("Request body too large")
    assert _state(acme) == before


def test_a_body_within_the_limit_is_served(acme, settings):
    settings.REQUEST_BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = _json(acme.client(), "post", "/pacticipants", json.dumps({"name": "Small"}))
    assert response.status_code == 201


def test_a_body_longer_than_announced_without_a_length_is_bounded_where_it_is_read(acme, settings):
    """The parser reads at most one byte past the limit, whatever the stream holds."""
    from io import BytesIO

    from rest_framework.exceptions import ParseError

    from apps.core.errors import BrokerError
    from apps.core.parsers import BrokerJSONParser

    settings.REQUEST_BODY_LIMIT = 10
    with pytest.raises(BrokerError) as refused:
        BrokerJSONParser().parse(BytesIO(b'{"name": "a long name"}'))
    assert refused.value.status_code == 413
    with pytest.raises(ParseError):
        BrokerJSONParser().parse(BytesIO(b'{"a":'))


def test_an_oversized_ui_form_gets_a_413_page(acme, settings):
    settings.REQUEST_BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    from tests.ui.conftest import signed_in

    response = signed_in(acme, acme.admin).post("/ui/webhooks/new", {"description": "x" * 5000})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert b"Request body too large" in response.content


def test_the_default_body_limit_fits_a_large_pact(settings):
    assert settings.REQUEST_BODY_LIMIT == 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REQUEST_BODY_LIMIT


# --- JSON nesting depth ---------------------------------------------------------------------------


@pytest.mark.parametrize("method, path", JSON_ENDPOINTS)
def test_json_nested_far_too_deep_is_a_400_not_a_500(acme, method, path):
    before = _state(acme)
    response = _json(acme.client(), method, path, _deep_text(DEEP))
    assert response.status_code == 400
    assert response.json() == {"error": "JSON nested deeper than 100 levels"}
    assert _state(acme) == before


@pytest.mark.parametrize("method, path", JSON_ENDPOINTS)
def test_json_just_over_the_depth_limit_is_a_400(acme, method, path):
    before = _state(acme)
    response = _json(acme.client(), method, path, _deep_text(101))
    assert response.status_code == 400
    assert response.json() == {"error": "JSON nested deeper than 100 levels"}
    assert _state(acme) == before


def test_a_pact_nested_within_the_limit_is_published(acme):
    doc = pact_fixture("foo-bar")
    doc["interactions"][0]["response"]["body"] = {"deep": _deep(90)}
    response = pact_put(acme.client(), doc)
    assert response.status_code == 201


def test_a_too_deep_verification_result_is_a_400(acme):
    client, pact = _published(acme)
    before = _state(acme)
    href = pact["_links"]["pb:publish-verification-results"]["href"]
    body = '{"success": true, "providerApplicationVersion": "2", "testResults": ' + "[" * DEEP + "]" * DEEP + "}"
    response = client.post(href, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "JSON nested deeper than 100 levels"}
    assert _state(acme) == before


def test_too_deep_content_inside_a_publication_is_a_400_in_the_publish_shape(acme):
    before = _state(acme)
    item = contract(pact_fixture("foo-bar"))
    import base64

    item["content"] = base64.b64encode(_deep_text(DEEP).encode()).decode()
    response = contracts_post(acme.client(), item)
    assert response.status_code == 400
    assert response.json()["errors"]["contracts"] == [
        "content is invalid: JSON nested deeper than 100 levels (at index 0)"
    ]
    assert _state(acme) == before


def test_the_server_stays_healthy_after_abuse(acme):
    _json(acme.client(), "put", "/pacts/provider/Bar/consumer/Foo/version/1", _deep_text(DEEP))
    assert acme.client().get("/").status_code == 200


# --- Name lengths ---------------------------------------------------------------------------------

LONG = "n" * 256
AT_LIMIT = "n" * 255


@pytest.mark.parametrize(
    "method, path, field",
    [
        ("put", f"/pacticipants/{LONG}", "pacticipant"),
        ("put", f"/pacticipants/Foo/versions/{LONG}", "version"),
        ("put", f"/pacticipants/Foo/versions/1/tags/{LONG}", "tag"),
        ("put", f"/pacticipants/Foo/branches/{LONG}/versions/1", "branch"),
        ("put", f"/pacticipants/Foo/labels/{LONG}", "label"),
        ("put", f"/pacts/provider/Bar/consumer/{LONG}/version/1", "consumer"),
        ("put", f"/pacts/provider/{LONG}/consumer/Foo/version/1", "provider"),
        ("get", f"/pacts/provider/Bar/consumer/Foo/latest/{LONG}", "tag"),
        ("get", f"/pacticipants/{LONG}/latest-version", "pacticipant"),
    ],
)
def test_a_name_in_the_path_over_255_characters_is_a_400(acme, method, path, field):
    before = _state(acme)
    response = _json(acme.client(), method, path, json.dumps(pact_fixture("foo-bar")))
    assert response.status_code == 400
    assert response.json() == {"errors": {field: [f"{field} size cannot be greater than 255"]}}
    assert _state(acme) == before


def test_names_of_255_characters_are_accepted(acme):
    client = acme.client()
    response = _json(client, "put", f"/pacticipants/{AT_LIMIT}/versions/{AT_LIMIT}/tags/{AT_LIMIT}", "{}")
    assert response.status_code == 201
    response = _json(client, "put", f"/pacticipants/{AT_LIMIT}/branches/{AT_LIMIT}/versions/{AT_LIMIT}", "{}")
    assert response.status_code == 200  # the first tag of the new version already made it this branch's


@pytest.mark.parametrize(
    "method, path, body, errors",
    [
        ("post", "/pacticipants", {"name": LONG}, {"name": ["size cannot be greater than 255"]}),
        (
            "post",
            "/pacticipants",
            {"name": "Foo", "mainBranch": LONG},
            {"mainBranch": ["size cannot be greater than 255"]},
        ),
        (
            "post",
            "/pacticipants",
            {"name": "Foo", "displayName": LONG},
            {"displayName": ["size cannot be greater than 255"]},
        ),
        (
            "put",
            "/pacticipants/Foo/versions/1",
            {"tags": [{"name": LONG}]},
            {"tags": ["tags name size cannot be greater than 255 (at index 0)"]},
        ),
        ("post", "/environments", {"name": LONG, "production": False}, {"name": ["size cannot be greater than 255"]}),
        (
            "post",
            "/environments",
            {"name": "prod", "displayName": LONG, "production": True},
            {"displayName": ["size cannot be greater than 255"]},
        ),
    ],
)
def test_a_name_in_a_body_over_255_characters_is_a_400(acme, method, path, body, errors):
    before = _state(acme)
    response = _json(acme.client(), method, path, json.dumps(body))
    assert response.status_code == 400
    assert response.json() == {"errors": errors}
    assert _state(acme) == before


@pytest.mark.parametrize(
    "fields, errors",
    [
        ({"pacticipant": LONG}, {"pacticipantName": ["size cannot be greater than 255"]}),
        ({"version": LONG}, {"pacticipantVersionNumber": ["size cannot be greater than 255"]}),
        ({"branch": LONG}, {"branch": ["size cannot be greater than 255"]}),
        ({"tags": ["ok", LONG]}, {"tags": ["size cannot be greater than 255 (at index 1)"]}),
    ],
)
def test_a_publication_with_a_name_over_255_characters_is_a_400(acme, fields, errors):
    before = _state(acme)
    item = contract(pact_fixture("foo-bar"))
    if "pacticipant" in fields:
        item["consumerName"] = fields["pacticipant"]
    response = contracts_post(acme.client(), item, **fields)
    assert response.status_code == 400
    body = response.json()["errors"]
    for key, messages in errors.items():
        assert body[key] == messages
    assert _state(acme) == before


def test_a_publication_with_a_long_provider_name_is_a_400(acme):
    before = _state(acme)
    response = contracts_post(acme.client(), contract(pact_fixture("foo-bar"), provider=LONG))
    assert response.status_code == 400
    assert response.json()["errors"]["contracts"] == ["providerName size cannot be greater than 255 (at index 0)"]
    assert _state(acme) == before


def test_a_verification_with_a_long_provider_version_is_a_400(acme):
    client, pact = _published(acme)
    before = _state(acme)
    response = verification_post(client, pact, provider_version=LONG)
    assert response.status_code == 400
    assert response.json() == {"errors": {"providerApplicationVersion": ["size cannot be greater than 255"]}}
    assert _state(acme) == before


def test_a_deployment_with_a_long_application_instance_is_a_400(acme):
    client = acme.client()
    assert _json(client, "put", "/pacticipants/Foo/versions/1", "{}").status_code == 201
    env = _json(client, "post", "/environments", json.dumps({"name": "prod", "production": True})).json()
    before = _state(acme)
    response = _json(
        client,
        "post",
        f"/pacticipants/Foo/versions/1/deployed-versions/environment/{env['uuid']}",
        json.dumps({"applicationInstance": LONG}),
    )
    assert response.status_code == 400
    message = "applicationInstance size cannot be greater than 255"
    assert response.json() == {"errors": {"applicationInstance": [message]}}
    assert _state(acme) == before


# --- Inputs that must stay linear -----------------------------------------------------------------


def _interaction(i: int, path: str | None = None) -> dict:
    return {
        "description": f"request {i}",
        "providerState": f"state {i}",
        "request": {"method": "GET", "path": path or f"/things/{i}"},
        "response": {"status": 200},
    }


def test_patch_merges_5000_interactions_into_5000(acme):
    """Merging is one pass with an index; the old nested scan took minutes at this size."""
    client = acme.client()
    doc = pact_fixture("foo-bar")
    doc["interactions"] = [_interaction(i) for i in range(5000)]
    assert pact_put(client, doc).status_code == 201
    update = dict(doc, interactions=[dict(_interaction(i), response={"status": 201}) for i in range(2500, 7500)])
    response = pact_put(client, update, method="patch")
    assert response.status_code == 200
    merged = client.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").json()["interactions"]
    assert [ix["description"] for ix in merged] == [f"request {i}" for i in range(7500)]
    assert [ix["response"]["status"] for ix in merged] == [200] * 2500 + [201] * 5000


def test_a_merge_that_changes_a_request_among_many_is_refused(acme):
    client = acme.client()
    doc = pact_fixture("foo-bar")
    doc["interactions"] = [_interaction(i) for i in range(3000)]
    assert pact_put(client, doc).status_code == 201
    before = client.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").json()
    clash = dict(doc, interactions=[_interaction(i) for i in range(3000, 6000)] + [_interaction(2999, "/other")])
    assert pact_put(client, clash, method="patch").status_code == 409
    assert client.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").json() == before


def test_the_near_duplicate_check_handles_many_names():
    from apps.contracts.duplicate_names import DuplicateNameIndex

    existing = [f"Inventory{i} Service" for i in range(20_000)]
    index = DuplicateNameIndex(existing)
    found = [index.duplicates_of(f"inventory{i}-api") for i in range(5_000)]
    assert found == [[f"Inventory{i} Service"] for i in range(5_000)]
    assert index.duplicates_of("Inventory7 Service") == []
    assert index.duplicates_of("unrelated") == []


def test_name_splitting_is_linear_on_long_runs_of_capitals():
    """The broker's acronym rule as a backtracking regex was quadratic on a run of capitals."""
    from apps.contracts.duplicate_names import name_words

    assert name_words("A" * 100_000 + "Bc") == ["a" * 100_000, "bc"]
    assert name_words("HTTPServer") == ["http", "server"]


def test_publishing_a_new_name_among_many_existing_ones_runs_the_duplicate_check(acme):
    with schema_context(acme.schema):
        pacticipants_find_or_create(names=[f"Inventory{i} Service" for i in range(3000)])
    before = _state(acme)
    doc = pact_fixture("foo-bar")
    doc["consumer"]["name"] = "inventory42-api"
    response = pact_put(acme.client(), doc, consumer="inventory42-api", provider="Bar")
    assert response.status_code == 409
    assert "* Inventory42 Service" in response.content.decode()
    assert _state(acme) == before


# --- Page sizes and the matrix limit --------------------------------------------------------------


@pytest.fixture
def three_pacticipants(acme):
    client = acme.client()
    for name in ("A", "B", "C"):
        assert _json(client, "post", "/pacticipants", json.dumps({"name": name})).status_code == 201
    return client


@pytest.mark.parametrize("query", ["size=1000000", "pageSize=1000000", "size=99999999999999999999&page=1"])
def test_a_page_size_over_the_maximum_is_clamped(three_pacticipants, settings, query):
    settings.PAGE_SIZE_MAX = 2
    body = three_pacticipants.get(f"/pacticipants?{query}").json()
    assert body["page"] == {"number": 1, "size": 2, "totalElements": 3, "totalPages": 2}
    assert [p["name"] for p in body["_embedded"]["pacticipants"]] == ["A", "B"]


@pytest.mark.parametrize(
    "path",
    ["/pacticipants", "/integrations", "/labels", "/pacticipants/A/versions", "/pacticipants/A/branches", "/dashboard"],
)
def test_page_sizes_are_clamped_on_every_paginated_endpoint(three_pacticipants, settings, path):
    settings.PAGE_SIZE_MAX = 2
    response = three_pacticipants.get(f"{path}?size=500", HTTP_ACCEPT="application/hal+json")
    assert response.status_code == 200
    assert response.json()["page"]["size"] == 2


@pytest.mark.parametrize(
    "path, total", [("/pacticipants", 3), ("/integrations", 0), ("/pacticipants/A/versions", 0), ("/labels", 0)]
)
def test_a_page_far_past_the_end_is_empty_not_an_error(three_pacticipants, path, total):
    response = three_pacticipants.get(f"{path}?page=999999999999999999&size=100", HTTP_ACCEPT="application/hal+json")
    assert response.status_code == 200
    assert response.json()["page"]["totalElements"] == total


@pytest.mark.parametrize("query", ["size=0", "size=-1", "size=abc", "page=0", "size=" + "9" * 5000])
def test_bad_page_values_are_still_a_400(three_pacticipants, query):
    response = three_pacticipants.get(f"/pacticipants?{query}")
    assert response.status_code == 400
    assert "errors" in response.json()


def test_the_default_maximums(settings):
    assert settings.PAGE_SIZE_MAX == 1000
    assert settings.MATRIX_LIMIT_MAX == 1000


def test_a_matrix_limit_over_the_maximum_is_clamped(acme, settings):
    client = acme.client()
    for version in ("1", "2", "3"):
        doc = pact_fixture("foo-bar")
        assert pact_put(client, doc, version=version).status_code == 201
    settings.MATRIX_LIMIT_MAX = 2
    query = "q[][pacticipant]=Foo&q[][pacticipant]=Bar&limit=99999999999999999999999"
    response = client.get(f"/matrix?{query}")
    assert response.status_code == 200
    assert len(response.json()["matrix"]) == 2
    settings.MATRIX_LIMIT_MAX = 1000
    assert len(client.get(f"/matrix?{query}").json()["matrix"]) == 3


@pytest.mark.parametrize("limit", ["0", "-5", "abc"])
def test_a_matrix_limit_below_one_is_a_400(acme, limit):
    client = acme.client()
    assert pact_put(client, pact_fixture("foo-bar")).status_code == 201
    response = client.get(f"/matrix?q[][pacticipant]=Foo&q[][pacticipant]=Bar&limit={limit}")
    assert response.status_code == 400
    assert "The limit must be 1 or greater." in response.json()["errors"]


# --- Characters PostgreSQL cannot store -----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/pacticipants/a%00b",
        "/pacticipants/Foo/versions/1/tags/x%00",
        "/matrix?q[][pacticipant]=a%00b&q[][pacticipant]=Bar",
    ],
)
def test_a_nul_character_in_the_url_is_a_400(acme, path):
    before = _state(acme)
    response = acme.client().put(path, data="{}", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "The URL cannot contain NUL (%00) characters"}
    assert _state(acme) == before


def test_a_nul_character_in_a_name_in_a_body_is_a_400(acme):
    before = _state(acme)
    response = _json(acme.client(), "post", "/pacticipants", json.dumps({"name": "a\x00b"}))
    assert response.status_code == 400
    assert response.json() == {"error": "Text cannot contain NUL (\\u0000) characters"}
    assert _state(acme) == before


@pytest.mark.parametrize("text", ['{"a": NaN}', '{"a": Infinity}', '{"a": 1e400}', '{"a": ' + "1" * 5000 + "}"])
def test_json_that_python_accepts_but_is_not_json_is_a_400(acme, text):
    before = _state(acme)
    response = _json(acme.client(), "put", "/pacts/provider/Bar/consumer/Foo/version/1", text)
    assert response.status_code == 400
    assert response.json()["error"].startswith(("JSON::ParserError - ", "Error parsing JSON: "))
    assert _state(acme) == before


def test_query_parameters_nested_too_deeply_are_a_400(acme):
    response = acme.client().get("/matrix?q" + "[a]" * 2000 + "=1")
    assert response.status_code == 400
    assert response.json() == {"errors": ["Invalid query: parameters nested too deeply"]}


# --- Provider contracts (OpenAPI documents, read in the comparison) -------------------------------


def test_a_yaml_billion_laughs_is_unreadable_not_a_hang():
    from apps.provider_contracts.comparison.documents import UnreadableDocument, document_parse

    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    with pytest.raises(UnreadableDocument, match="expands to more than 1000000 values"):
        document_parse("\n".join(lines))


def test_an_openapi_document_nested_too_deeply_is_unreadable():
    from apps.provider_contracts.comparison.documents import UnreadableDocument, document_parse

    with pytest.raises(UnreadableDocument, match="nested too deeply"):
        document_parse(_deep_text(DEEP))
    assert document_parse('{"openapi": "3.0.0"}') == {"openapi": "3.0.0"}
    assert document_parse("openapi: 3.0.0\nx: &x [1]\ny: *x\n") == {"openapi": "3.0.0", "x": [1], "y": [1]}
