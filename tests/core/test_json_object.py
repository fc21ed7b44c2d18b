"""Every API answers a JSON body that is not an object (array, string, number) with the same 400:
`{"errors": {"": ["must be a JSON object"]}}` (apps.core.parsers.json_object). The Ruby broker fails
with a 500 there (tests/compat known differences, "deliberate"), so there is no text of its own to copy."""

import json

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = {"errors": {"": ["must be a JSON object"]}}

WRITES = [
    ("post", "/pacticipants"),
    ("put", "/pacticipants/Foo"),
    ("put", "/pacticipants/Foo/versions/1"),
    ("post", "/contracts/publish"),
    ("post", "/provider-contracts/provider/Bar/publish"),
    ("post", "/environments"),
    ("post", "/webhooks"),
    ("post", "/secrets"),
    ("post", "/admin/roles"),
    ("put", "/admin/sso/policy"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("body", [[1, 2], "text", 3])
def test_a_body_that_is_not_an_object_gets_the_one_answer(acme, method, path, body):
    response = getattr(acme.client(), method)(path, data=json.dumps(body), content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json() == EXPECTED


def test_a_verification_body_that_is_not_an_object_gets_the_one_answer(acme):
    client = acme.client()
    pact = {
        "consumer": {"name": "Foo"},
        "provider": {"name": "Bar"},
        "interactions": [],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    published = client.put(
        "/pacts/provider/Bar/consumer/Foo/version/1", data=json.dumps(pact), content_type="application/json"
    )
    url = published.json()["_links"]["pb:publish-verification-results"]["href"]

    response = client.post(url, data="[]", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == EXPECTED
