"""POST /contracts/publish (shared reference §3.2)."""

import base64
import json

from django_tenants.utils import schema_context

from apps.contracts.models import BranchHead, LatestPactPublication, Pacticipant, PactPublication, Tag, Version
from tests.support.pacts import contract, contracts_post, pact_fixture


def _state(org):
    with schema_context(org.schema):
        return (
            Pacticipant.objects.count(),
            Version.objects.count(),
            Tag.objects.count(),
            PactPublication.objects.count(),
        )


def test_publishing_creates_the_version_branch_tags_and_pacts_and_answers_200(acme):
    response = contracts_post(
        acme.client(),
        contract(pact_fixture("foo-bar")),
        contract(pact_fixture("foo-baz"), provider="Baz"),
        version="abc123",
        branch="main",
        tags=["dev", "prod"],
        buildUrl="https://ci.example/7",
    )

    assert response.status_code == 200
    body = response.json()
    texts = [n["text"] for n in body["notices"]]
    assert texts[0] == "Created Foo version abc123 with branch main and tags dev, prod"
    assert "Pact successfully published for Foo version abc123 and provider Bar." in texts
    assert any(t.startswith("  View the published pact at http://acme.localhost/pacts/provider/Baz/") for t in texts)
    assert body["logs"][0] == {"level": "debug", "message": texts[0], "deprecationWarning": "Replaced by notices"}
    assert body["_embedded"]["version"]["number"] == "abc123"
    assert [link["name"] for link in body["_links"]["pb:contracts"]] == [
        "Pact between Foo (abc123) and Bar",
        "Pact between Foo (abc123) and Baz",
    ]
    with schema_context(acme.schema):
        version = Version.objects.get(number="abc123")
        assert version.build_url == "https://ci.example/7"
        assert sorted(Tag.objects.values_list("name", flat=True)) == ["dev", "prod"]
        assert BranchHead.objects.get(branch_name="main").version_id == version.pk
        assert Pacticipant.objects.get(name="Foo").main_branch == "main"
        assert LatestPactPublication.objects.count() == 2


def test_without_a_branch_the_next_step_prompt_is_given_and_the_first_tag_becomes_the_branch(acme):
    body = contracts_post(acme.client(), contract(pact_fixture("foo-bar")), tags=["feat-x"]).json()

    assert {
        "type": "prompt",
        "text": "  Next steps:\n    Configure the version branch to be the value of your repository branch.",
    } in body["notices"]
    with schema_context(acme.schema):
        assert BranchHead.objects.get().branch_name == "feat-x"


def test_republishing_says_updated_and_unchanged(acme):
    contracts_post(acme.client(), contract(pact_fixture("foo-bar")), branch="main")

    body = contracts_post(acme.client(), contract(pact_fixture("foo-bar-reordered")), branch="main").json()

    texts = [n["text"] for n in body["notices"]]
    assert texts[0] == "Updated Foo version 1.0.0 with branch main"
    assert "Pact successfully republished for Foo version 1.0.0 and provider Bar with no content changes." in texts
    assert _state(acme) == (2, 1, 0, 1)


def test_changed_content_for_an_existing_version_is_a_409_with_notices_and_nothing_written(acme):
    contracts_post(acme.client(), contract(pact_fixture("foo-bar")), branch="main")
    before = _state(acme)

    response = contracts_post(acme.client(), contract(pact_fixture("foo-bar-changed")), branch="main", tags=["new-tag"])

    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["errors"]["contracts"][0].startswith(
        "Cannot change the content of the pact for Foo version 1.0.0 and provider Bar"
    )
    assert [n["type"] for n in body["notices"]] == ["error", "info"]
    assert '"name": "x"' in body["notices"][1]["text"]
    assert _state(acme) == before


def test_changed_content_is_published_with_a_warning_when_modification_is_allowed(acme, settings):
    settings.BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION = True
    contracts_post(acme.client(), contract(pact_fixture("foo-bar")))

    body = contracts_post(acme.client(), contract(pact_fixture("foo-bar-changed"))).json()

    assert {"warning"} <= {n["type"] for n in body["notices"]}


def test_merge_on_conflict_that_changes_the_content_is_refused_as_any_change(acme):
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")))

    response = contracts_post(client, contract(pact_fixture("foo-bar-changed"), onConflict="merge"))

    assert response.status_code == 409
    assert response.json()["errors"]["contracts"][0].startswith("Cannot change the content of the pact for Foo")


def test_merge_on_conflict_merges_into_the_existing_pact_where_modification_is_allowed(acme, settings):
    settings.BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION = True
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")))

    body = contracts_post(client, contract(pact_fixture("foo-bar-changed"), onConflict="merge")).json()

    assert "Pact content merged with existing content for Foo version 1.0.0 and provider Bar." in [
        n["text"] for n in body["notices"]
    ]


def test_validation_errors_are_reported_in_the_brokers_shape_and_nothing_is_written(acme):
    bad = contract(pact_fixture("foo-bar"), consumer="Other", contentType="text/plain")
    bad_base64 = {**contract(pact_fixture("foo-baz"), provider="Baz"), "content": "%%%"}

    response = contracts_post(acme.client(), bad, bad_base64, version="", branch=" ")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["pacticipantVersionNumber"] == ["must be filled"]
    assert errors["branch"] == ["cannot be blank"]
    assert "contentType must be one of: application/json (at index 0)" in errors["contracts"]
    assert "consumerName ('Other') must match pacticipantName ('Foo') (at index 0)" in errors["contracts"]
    assert "is not valid Base64 (at index 1)" in errors["contracts"]
    assert _state(acme) == (0, 0, 0, 0)


def test_names_inside_the_content_must_match_the_contract(acme):
    doc = pact_fixture("foo-bar")
    response = contracts_post(acme.client(), contract(doc, provider="Elsewhere"))

    assert response.status_code == 400
    assert response.json()["errors"]["contracts"] == [
        "provider name in contract content ('Bar') must match providerName in contract params ('Elsewhere') "
        "(at index 0)"
    ]


def test_missing_fields_and_non_object_content_are_400(acme):
    client = acme.client()
    missing = client.post("/contracts/publish", data=json.dumps({}), content_type="application/json")
    array = {**contract({}), "content": base64.b64encode(b"[1]").decode()}

    assert missing.json()["errors"] == {
        "pacticipantName": ["is missing"],
        "pacticipantVersionNumber": ["is missing"],
        "contracts": ["is missing"],
    }
    assert contracts_post(client, array).json()["errors"]["contracts"] == [
        "parsed content was expected to be a Hash but was a Array (at index 0)"
    ]


def test_an_outsider_does_not_see_contracts_published_by_acme(acme, outsider):
    contracts_post(acme.client(), contract(pact_fixture("foo-bar")))

    assert outsider.client().get("/pacts/provider/Bar/consumer/Foo/version/1.0.0").status_code == 404
    with schema_context(outsider.schema):
        assert Pacticipant.objects.count() == 0
