"""Property-based fuzzing (Hypothesis) of every parser that takes user input, over HTTP.

Properties, for every generated input:
- the answer is never a 5xx;
- an answer of 4xx writes nothing (the organisation's rows are unchanged).

Inputs: pact documents (`PUT`/`PATCH /pacts/...`, `POST /contracts/publish`), pacts-for-verification
selectors (JSON body), matrix and can-i-deploy query strings (Rack nested parameters), and names in URL
paths (unicode, very long, slashes, percent-encoding, NUL). Example counts stay modest so the suite
stays fast; each example is one request inside the test's transaction.
"""

import base64
import json
from urllib.parse import quote

import pytest
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.contracts.models import Branch, Pacticipant, PactPublication, Tag, Version
from apps.core.rack import QueryParseError
from apps.core.rack import parse_nested_query as rack_parse
from apps.environments.models import DeployedVersion, Environment
from apps.verifications.models import Verification
from tests.support.pacts import pact_fixture, pact_put

FUZZ = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_leaf = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
json_value = st.recursive(
    json_leaf,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
names = st.text(max_size=300) | st.sampled_from(["Foo", "Bar", "", " ", "a/b", "%2F", "..", "\x00", "é" * 300])


def _state(org):
    with schema_context(org.schema):
        return tuple(
            model.objects.count()
            for model in (
                Pacticipant,
                Version,
                Branch,
                Tag,
                PactPublication,
                Verification,
                Environment,
                DeployedVersion,
            )
        )


def _check(org, before, response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert _state(org) == before


@pytest.fixture
def client(acme):
    client = acme.client()
    assert pact_put(client, pact_fixture("foo-bar")).status_code == 201
    return client


# --- Pact documents -------------------------------------------------------------------------------


def _interaction():
    return st.fixed_dictionaries(
        {},
        optional={
            "description": json_value,
            "providerState": json_value,
            "providerStates": json_value,
            "request": json_value | st.fixed_dictionaries({"method": st.text(max_size=6), "path": json_value}),
            "response": json_value,
            "_id": json_value,
        },
    )


pact_documents = json_value | st.fixed_dictionaries(
    {},
    optional={
        "consumer": json_value | st.fixed_dictionaries({"name": json_value}),
        "provider": json_value | st.fixed_dictionaries({"name": json_value}),
        "interactions": json_value | st.lists(_interaction(), max_size=5),
        "messages": json_value,
        "metadata": json_value
        | st.fixed_dictionaries({"pactSpecification": st.fixed_dictionaries({"version": json_value})}),
    },
)


@FUZZ
@given(doc=pact_documents, method=st.sampled_from(["put", "patch"]), version=st.sampled_from(["1.0.0", "2"]))
def test_any_pact_document_is_never_a_server_error(acme, client, doc, method, version):
    before = _state(acme)
    response = client.generic(
        method.upper(),
        f"/pacts/provider/Bar/consumer/Foo/version/{version}",
        json.dumps(doc),
        content_type="application/json",
    )
    _check(acme, before, response)


@FUZZ
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_as_a_pact_are_never_a_server_error(acme, client, raw):
    before = _state(acme)
    response = client.put("/pacts/provider/Bar/consumer/Foo/version/3", raw, content_type="application/json")
    _check(acme, before, response)


def _content():
    return (
        pact_documents.map(lambda doc: base64.b64encode(json.dumps(doc).encode()).decode())
        | st.binary(max_size=60).map(lambda raw: base64.b64encode(raw).decode())
        | json_value
    )


publication = st.fixed_dictionaries(
    {},
    optional={
        "pacticipantName": names | json_value,
        "pacticipantVersionNumber": names | json_value,
        "branch": names | json_value,
        "tags": st.lists(names, max_size=3) | json_value,
        "buildUrl": json_value,
        "contracts": json_value
        | st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "consumerName": names | json_value,
                    "providerName": names | json_value,
                    "content": _content(),
                    "specification": st.sampled_from(["pact", "oas"]) | json_value,
                    "contentType": st.sampled_from(["application/json"]) | json_value,
                    "onConflict": st.sampled_from(["merge", "overwrite"]) | json_value,
                },
            ),
            max_size=3,
        ),
    },
)


@FUZZ
@given(body=publication)
def test_any_publication_is_never_a_server_error(acme, client, body):
    before = _state(acme)
    response = client.post("/contracts/publish", json.dumps(body), content_type="application/json")
    _check(acme, before, response)


# --- Selectors ------------------------------------------------------------------------------------

selector = st.fixed_dictionaries(
    {},
    optional={
        key: json_value | names
        for key in (
            "branch",
            "tag",
            "latest",
            "mainBranch",
            "matchingBranch",
            "deployed",
            "released",
            "deployedOrReleased",
            "environment",
            "consumer",
            "fallbackTag",
            "fallbackBranch",
        )
    },
)

pfv_body = json_value | st.fixed_dictionaries(
    {},
    optional={
        "consumerVersionSelectors": json_value | st.lists(selector, max_size=4),
        "consumerVersionTags": json_value | st.lists(names, max_size=3),
        "providerVersionBranch": json_value | names,
        "providerVersionTags": json_value | st.lists(names, max_size=3),
        "includePendingStatus": json_value,
        "includeWipPactsSince": json_value | st.sampled_from(["2024-01-01"]),
    },
)


@FUZZ
@given(body=pfv_body)
def test_any_pacts_for_verification_body_is_never_a_server_error(acme, client, body):
    before = _state(acme)
    response = client.post("/pacts/provider/Bar/for-verification", json.dumps(body), content_type="application/json")
    _check(acme, before, response)


rack_keys = st.sampled_from(
    [
        "q[][pacticipant]",
        "q[][version]",
        "q[][latest]",
        "q[][tag]",
        "q[][branch]",
        "q[][mainBranch]",
        "q[][environment]",
        "q[]",
        "q",
        "q[x]",
        "q[][a][b]",
        "q[][",
        "latestby",
        "limit",
        "latest",
        "tag",
        "environment",
        "mainBranch",
        "success[]",
        "success",
        "ignore[][pacticipant]",
        "ignore[][version]",
        "ignore[]",
        "ignore",
        "pacticipant",
        "version",
        "to",
        "[]",
        "]",
        "[",
        "q[][]",
        "a[b][c][d]",
    ]
) | st.text(max_size=15)
rack_values = st.sampled_from(
    ["Foo", "Bar", "1.0.0", "true", "false", "", "cvpv", "cvp", "cp", "0", "-1", "99999999999999999999", "prod"]
) | st.text(max_size=15)
rack_query = st.lists(st.tuples(rack_keys, rack_values), max_size=8).map(
    lambda pairs: "&".join(f"{quote(k, safe='[]')}={quote(v)}" for k, v in pairs)
)


@FUZZ
@given(
    query=rack_query | st.text(max_size=80),
    path=st.sampled_from(["/matrix", "/can-i-deploy", "/matrix/provider/Bar/consumer/Foo"]),
)
def test_any_matrix_or_can_i_deploy_query_is_never_a_server_error(acme, client, query, path):
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, response.content[:500]


@FUZZ
@given(
    query=rack_query
    | st.text(max_size=200)
    | st.integers(min_value=0, max_value=3000).map(lambda n: "q" + "[a]" * n + "=1")
)
def test_the_rack_codec_returns_nested_params_or_a_parse_error(query):
    try:
        params = rack_parse(query)
    except QueryParseError:
        return
    assert isinstance(params, dict)


# --- Names in URL paths ---------------------------------------------------------------------------

path_names = (
    names
    | st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40)
    | st.sampled_from(["%", "%25", "%2F", "a%00b", "\x00", "x" * 256, "x" * 255, "🙂" * 100, "a\nb", "a b", "."])
)

NAME_PATHS = [
    ("get", "/pacticipants/{n}"),
    ("put", "/pacticipants/{n}"),
    ("patch", "/pacticipants/{n}"),
    ("put", "/pacticipants/Foo/versions/{n}"),
    ("put", "/pacticipants/Foo/versions/1.0.0/tags/{n}"),
    ("put", "/pacticipants/Foo/branches/{n}/versions/1.0.0"),
    ("get", "/pacticipants/Foo/branches/{n}"),
    ("put", "/pacticipants/{n}/labels/{n}"),
    ("get", "/pacts/provider/Bar/consumer/{n}/latest"),
    ("get", "/pacts/provider/Bar/consumer/Foo/latest/{n}"),
    ("put", "/pacts/provider/Bar/consumer/Foo/version/{n}"),
    ("get", "/environments/{n}"),
    ("delete", "/pacticipants/Foo/versions/1.0.0/tags/{n}"),
    ("get", "/matrix/provider/{n}/consumer/Foo"),
    ("get", "/pacticipants/{n}/latest-version/{n}/can-i-deploy/to/{n}"),
]


@FUZZ
@given(name=path_names, route=st.sampled_from(NAME_PATHS), encode=st.booleans())
def test_any_name_in_a_url_path_is_never_a_server_error(acme, client, name, route, encode):
    method, template = route
    segment = quote(name, safe="") if encode else quote(name, safe="/%")
    path = template.replace("{n}", segment)
    before = _state(acme)
    body = json.dumps(pact_fixture("foo-bar")) if "/pacts/" in path else "{}"
    response = client.generic(
        method.upper(), path, body if method in ("put", "patch") else "", content_type="application/json"
    )
    _check(acme, before, response)


@FUZZ
@given(name=path_names)
def test_any_name_in_a_body_is_never_a_server_error(acme, client, name):
    before = _state(acme)
    for path, body in (
        ("/pacticipants", {"name": name, "mainBranch": name}),
        ("/environments", {"name": name, "displayName": name, "production": False}),
        ("/pacticipants/Foo/versions/9", {"tags": [{"name": name}]}),
    ):
        method = client.put if path.endswith("/9") else client.post
        response = method(path, json.dumps(body), content_type="application/json")
        assert response.status_code < 500, response.content[:500]
        if response.status_code >= 400:
            assert _state(acme) == before
        before = _state(acme)
