"""PUT / PATCH of a pact and the deprecated aliases (shared reference §3.1)."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.contracts import events
from apps.contracts.models import Integration, LatestPactPublication, Pacticipant, PactPublication, PactVersion
from tests.support.pacts import pact_fixture, pact_put


def _counts(org):
    with schema_context(org.schema):
        return (
            Pacticipant.objects.count(),
            PactVersion.objects.count(),
            PactPublication.objects.count(),
            LatestPactPublication.objects.count(),
            Integration.objects.count(),
        )


def test_a_new_pact_is_created_with_201_and_served_with_its_links(acme):
    response = pact_put(acme.client(), pact_fixture("foo-bar"))

    assert response.status_code == 201
    assert "Location" not in response
    body = response.json()
    assert body["consumer"] == {"name": "Foo"}
    assert body["_links"]["self"]["name"] == "Pact between Foo (1.0.0) and Bar"
    assert body["_links"]["pb:publish-verification-results"]["href"].endswith("/verification-results")
    assert {
        "pb:consumer",
        "pb:consumer-version",
        "pb:provider",
        "pb:pact-version",
        "pb:latest-pact-version",
        "pb:all-pact-versions",
        "pb:latest-untagged-pact-version",
        "pb:latest-tagged-pact-version",
        "pb:previous-distinct",
        "pb:diff-previous-distinct",
        "pb:diff",
        "pb:pact-webhooks",
        "pb:consumer-webhooks",
        "pb:tag-prod-version",
        "pb:tag-version",
        "pb:latest-verification-results",
        "pb:triggered-webhooks",
        "pb:matrix-for-consumer-version",
        "curies",
    } <= set(body["_links"])
    assert _counts(acme) == (2, 1, 1, 1, 1)


def test_republishing_the_same_content_answers_200_without_a_new_revision(acme):
    pact_put(acme.client(), pact_fixture("foo-bar"))

    response = pact_put(acme.client(), pact_fixture("foo-bar-reordered"))

    assert response.status_code == 200
    assert _counts(acme) == (2, 1, 1, 1, 1)


def test_identical_content_from_another_consumer_version_reuses_the_stored_content(acme):
    pact_put(acme.client(), pact_fixture("foo-bar"), version="1")
    pact_put(acme.client(), pact_fixture("foo-bar-reordered"), version="2")

    assert _counts(acme) == (2, 1, 2, 2, 1)


def test_publish_with_changed_content_for_existing_version_is_refused(acme):
    pact_put(acme.client(), pact_fixture("foo-bar"))
    before = _counts(acme)

    response = pact_put(acme.client(), pact_fixture("foo-bar-changed"))

    assert response.status_code == 409
    assert response.json()["error"].startswith("Cannot change the content of the pact for Foo version 1.0.0")
    assert _counts(acme) == before


def test_changed_content_is_a_new_revision_when_modification_is_allowed(acme, settings):
    settings.BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION = True
    pact_put(acme.client(), pact_fixture("foo-bar"))

    response = pact_put(acme.client(), pact_fixture("foo-bar-changed"))

    assert response.status_code == 200
    assert len(response.json()["interactions"]) == 1
    with schema_context(acme.schema):
        assert list(PactPublication.objects.order_by("revision_number").values_list("revision_number", flat=True)) == [
            1,
            2,
        ]
        assert LatestPactPublication.objects.get().pact_publication.revision_number == 2


@pytest.mark.parametrize(
    "path",
    [
        "/pacts/provider/Bar/consumer/Foo/versions/1.0.0",
        "/pact/provider/Bar/consumer/Foo/version/1.0.0",
    ],
)
def test_the_deprecated_aliases_publish_and_read_the_same_pact(acme, path):
    client = acme.client()
    created = client.put(path, data=json.dumps(pact_fixture("foo-bar")), content_type="application/json")

    assert created.status_code == 201
    assert client.get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").status_code == 200
    assert client.get(path).json()["consumer"] == {"name": "Foo"}


def test_a_name_in_the_pact_that_differs_from_the_path_is_a_400(acme):
    response = pact_put(acme.client(), pact_fixture("foo-bar"), consumer="Other")

    assert response.status_code == 400
    assert response.json() == {
        "errors": {"consumer.name": ["name in pact 'Foo' does not match name in URL path 'Other'."]}
    }
    assert _counts(acme) == (0, 0, 0, 0, 0)


def test_an_empty_or_invalid_body_is_a_400_and_changes_nothing(acme):
    client = acme.client()
    path = "/pacts/provider/Bar/consumer/Foo/version/1"

    empty = client.put(path, data=" ", content_type="application/json")
    broken = client.put(path, data="{not json", content_type="application/json")

    assert empty.status_code == 400 and broken.status_code == 400
    assert "error" in broken.json()
    assert _counts(acme) == (0, 0, 0, 0, 0)


def test_a_non_json_content_type_is_a_bodiless_415_with_the_hal_content_type(acme):
    response = acme.client().put("/pacts/provider/Bar/consumer/Foo/version/1", data="x", content_type="text/plain")

    assert response.status_code == 415
    assert (response.content, response["Content-Type"]) == (b"", "application/hal+json;charset=utf-8")


def test_non_pact_json_and_arrays_are_stored_and_served_unchanged(acme):
    client = acme.client()
    response = client.put(
        "/pacts/provider/Bar/consumer/Foo/version/1", data="[1, 2, 3]", content_type="application/json"
    )

    assert response.status_code == 201
    assert client.get("/pacts/provider/Bar/consumer/Foo/version/1").json() == [1, 2, 3]


@pytest.mark.parametrize("fixture,provider", [("foo-events-messages-v3", "Events"), ("foo-mixed-v4", "Mixed")])
def test_message_pacts_are_stored_and_served_unchanged_apart_from_ids(acme, fixture, provider):
    doc = pact_fixture(fixture)
    client = acme.client()
    pact_put(client, doc, provider=provider)

    served = client.get(f"/pacts/provider/{provider}/consumer/Foo/version/1.0.0").json()

    key = "messages" if "messages" in doc else "interactions"
    assert [{k: v for k, v in i.items() if k != "_id"} for i in served[key]] == doc[key]
    assert all(i["_id"] for i in served[key])
    assert served["metadata"] == doc["metadata"]


def test_patch_merges_interactions_into_the_existing_pact(acme):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"))
    extra = {
        "consumer": {"name": "Foo"},
        "provider": {"name": "Bar"},
        "interactions": [
            {"description": "a new one", "request": {"method": "GET", "path": "/new"}, "response": {"status": 204}}
        ],
    }

    response = pact_put(client, extra, method="patch")

    assert response.status_code == 200
    assert [i["description"] for i in response.json()["interactions"]] == [
        "a request for things",
        "a request for a missing thing",
        "a new one",
    ]


def test_patch_with_a_conflicting_interaction_is_a_409(acme):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"))
    clash = pact_fixture("foo-bar")
    clash["interactions"][0]["request"]["path"] = "/other"

    assert pact_put(client, clash, method="patch").status_code == 409


def test_patch_without_an_existing_pact_creates_it(acme):
    assert pact_put(acme.client(), pact_fixture("foo-bar"), method="patch").status_code == 201


def test_publishing_calls_the_contract_published_hook_after_commit(acme, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, event, **kwargs):
        received.append(event)

    events.contract_published_signal.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            pact_put(acme.client(), pact_fixture("foo-bar"))
    finally:
        events.contract_published_signal.disconnect(listener)

    assert len(received) == 1
    assert received[0].consumer_name == "Foo" and received[0].provider_name == "Bar"
    assert received[0].pact_version_created and not received[0].existed
    assert received[0].schema_name == acme.schema


def test_a_read_only_token_cannot_publish(acme):
    response = pact_put(acme.client(token=acme.read_token), pact_fixture("foo-bar"))

    assert response.status_code == 403
    assert _counts(acme) == (0, 0, 0, 0, 0)


def test_an_outsider_never_sees_another_organisations_pacts(acme, outsider):
    pact_put(acme.client(), pact_fixture("foo-bar"))

    assert outsider.client().get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").status_code == 404
    assert outsider.client().get("/pacts/provider/Bar/consumer/Foo/latest").status_code == 404
    assert outsider.client().get("/pacts/latest").json()["pacts"] == []
    assert acme.client(token="").get("/pacts/provider/Bar/consumer/Foo/latest").status_code == 401
