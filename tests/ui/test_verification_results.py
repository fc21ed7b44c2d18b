"""Verification results people can act on (issue 19 item 4): each interaction by its description,
passed or failed, mismatches as expected vs actual at a path, and matching rules in the contract."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.contracts.services.content import interaction_id
from apps.ui.pact_document import pact_document
from apps.ui.verification_results import verification_cases
from tests.support.factories import pact_publish, verification_publish

pytestmark = pytest.mark.django_db

PACT = {
    "consumer": {"name": "Web"},
    "provider": {"name": "Orders"},
    "interactions": [
        {
            "_id": "abc123",
            "description": "a request for an order",
            "request": {"method": "GET", "path": "/orders/1"},
            "response": {
                "status": 200,
                "body": {"id": 1, "total": 42.5},
                "matchingRules": {
                    "body": {"$.id": {"matchers": [{"match": "integer"}], "combine": "AND"}},
                    "header": {"Content-Type": {"matchers": [{"match": "regex", "regex": "application/json.*"}]}},
                },
            },
        },
        {"_id": "def456", "description": "a request for no order", "request": {"method": "GET", "path": "/x"}},
        {"_id": "ghi789", "description": "a request nobody reported"},
    ],
    "metadata": {"pactSpecification": {"version": "3.0.0"}},
}
RUST_RESULTS = [
    {
        "interactionId": "abc123",
        "success": False,
        "mismatches": [
            {
                "attribute": "body",
                "identifier": "$.total",
                "description": "Expected 42.5 but received 40",
                "expected": 42.5,
                "actual": 40,
            },
            {"type": "StatusMismatch", "expected": 200, "actual": 500, "mismatch": "expected 200 but was 500"},
        ],
    },
    {"interactionId": "def456", "success": True},
]


def test_rust_and_jvm_results_are_named_by_the_pacts_descriptions():
    cases = verification_cases(RUST_RESULTS, json.dumps(PACT))

    assert [(c.description, c.success) for c in cases] == [
        ("a request for an order", False),
        ("a request for no order", True),
        ("a request nobody reported", None),
    ]
    body, status = cases[0].mismatches
    assert (body.attribute, body.path, body.expected, body.actual) == ("body", "$.total", "42.5", "40")
    assert (status.attribute, status.expected, status.actual) == ("StatusMismatch", "200", "500")
    assert status.description == "expected 200 but was 500"


def test_ruby_results_say_what_differed():
    cases = verification_cases(
        {
            "tests": [
                {
                    "testDescription": "Web's request for an order",
                    "status": "failed",
                    "expectedStatus": 200,
                    "actualStatus": 404,
                    "exception": {"message": "boom"},
                }
            ]
        }
    )

    assert [(c.description, c.success) for c in cases] == [("Web's request for an order", False)]
    assert [(m.attribute, m.expected, m.actual) for m in cases[0].mismatches] == [("status", "200", "404")]


def test_matching_rules_are_read_in_the_v2_and_v3_shapes():
    v3 = pact_document(json.dumps(PACT)).interactions[0]
    assert v3.rules == [
        ("Response body", "$.id", "integer"),
        ("Response header", "Content-Type", "regex (regex application/json.*)"),
    ]
    v2 = pact_document(
        json.dumps(
            {"interactions": [{"description": "d", "request": {"matchingRules": {"$.body.name": {"match": "type"}}}}]}
        )
    ).interactions[0]
    assert v2.rules == [("Request body", "$.name", "type")]


def test_the_contract_page_shows_each_interactions_outcome_and_mismatch(acme, admin):
    # The broker serves each interaction with its own `_id` (a hash of it); verifiers send that back.
    ids = {"abc123": interaction_id(PACT["interactions"][0]), "def456": interaction_id(PACT["interactions"][1])}
    results = [{**r, "interactionId": ids[r["interactionId"]]} for r in RUST_RESULTS]
    with schema_context(acme.schema):
        pact_publish("Web", "1", "Orders", content=PACT)
        verification_publish("Web", "1", "Orders", "9", success=False, test_results=results)

    response = admin.get("/ui/pacts/provider/Orders/consumer/Web")
    page = response.content.decode()

    outcomes = {i.description: i.outcome.success for i in response.context["document"].interactions}
    assert outcomes == {
        "a request for an order": False,
        "a request for no order": True,
        "a request nobody reported": None,
    }
    assert "(no description)" not in page
    assert "<code>$.total</code><div>Expected 42.5 but received 40</div>" in page
    assert '<code class="expected">42.5</code>' in page and '<code class="actual">40</code>' in page
    assert "Matching rules (2)" in page and "<td>integer</td>" in page
    assert "(not reported)" in page
