"""Reading pacts: latest variants, by SHA, lists, provider pacts, previous distinct, diffs, deletes."""

from django_tenants.utils import schema_context

from apps.contracts.metadata import metadata_decode
from apps.contracts.models import LatestPactPublication, PactVersion
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put

BASE = "/pacts/provider/Bar/consumer/Foo"


def _publish_history(org):
    """1: main+prod (foo-bar), 2: feat (changed), 3: untagged main (foo-bar again)."""
    client = org.client()
    contracts_post(client, contract(pact_fixture("foo-bar")), version="1", branch="main", tags=["prod"])
    contracts_post(client, contract(pact_fixture("foo-bar-changed")), version="2", branch="feat", tags=["feat"])
    pact_put(client, pact_fixture("foo-bar"), version="3")
    return client


def _version(response):
    return response.json()["_links"]["pb:consumer-version"]["name"]


def test_latest_pact_is_the_highest_consumer_version_and_names_it_in_a_header(acme):
    client = _publish_history(acme)

    response = client.get(f"{BASE}/latest")

    assert response.status_code == 200
    assert _version(response) == "3"
    assert response["X-Pact-Consumer-Version"] == "3"
    href = response.json()["_links"]["pb:publish-verification-results"]["href"]
    assert "/metadata/" in href
    with schema_context(acme.schema):
        cv = LatestPactPublication.objects.get(consumer_version__number="3").consumer_version_id
    assert metadata_decode(href.split("/metadata/")[1].split("/")[0]) == {"cv": str(cv)}


def test_latest_for_a_tag_a_branch_and_untagged(acme):
    client = _publish_history(acme)

    assert _version(client.get(f"{BASE}/latest/prod")) == "1"
    assert _version(client.get(f"{BASE}/latest/feat")) == "2"
    assert _version(client.get(f"{BASE}/branch/main/latest")) == "1"
    assert _version(client.get(f"{BASE}/latest-untagged")) == "3"
    assert client.get(f"{BASE}/latest/nope").status_code == 404
    tagged = client.get(f"{BASE}/latest/prod").json()["_links"]["pb:publish-verification-results"]["href"]
    assert metadata_decode(tagged.split("/metadata/")[1].split("/")[0])["cvt"] == ["prod"]


def test_application_json_is_served_too(acme):
    client = _publish_history(acme)

    response = client.get(f"{BASE}/latest", HTTP_ACCEPT="application/json")

    assert response["Content-Type"].startswith("application/json")
    assert response.json()["consumer"] == {"name": "Foo"}


def test_the_pact_version_permalink_serves_the_latest_publication_of_that_content(acme):
    client = _publish_history(acme)
    with schema_context(acme.schema):
        sha = LatestPactPublication.objects.get(consumer_version__number="1").pact_version.sha

    response = client.get(f"{BASE}/pact-version/{sha}")

    assert _version(response) == "3"
    assert response.json()["_links"]["pb:pact-version"]["name"] == sha
    assert client.get(f"{BASE}/pact-version/{'0' * 40}").status_code == 404


def test_the_pact_version_with_metadata_serves_the_named_consumer_version(acme):
    client = _publish_history(acme)
    latest = client.get(f"{BASE}/latest/prod").json()
    href = latest["_links"]["pb:publish-verification-results"]["href"].removesuffix("/verification-results")

    response = client.get(href)

    assert _version(response) == "1"


def test_pact_versions_lists_are_newest_first(acme):
    client = _publish_history(acme)

    everything = client.get(f"{BASE}/versions").json()
    tagged = client.get(f"{BASE}/tag/prod").json()
    main = client.get(f"{BASE}/branch/versions").json()
    feat_latest = client.get(f"{BASE}/branch/feat/latest/versions").json()

    assert [p["_embedded"]["consumerVersion"]["number"] for p in everything["_embedded"]["pacts"]] == ["3", "2", "1"]
    assert [p["_embedded"]["consumerVersion"]["number"] for p in tagged["_embedded"]["pacts"]] == ["1"]
    assert [p["_embedded"]["consumerVersion"]["number"] for p in main["_embedded"]["pacts"]] == ["1"]
    assert len(feat_latest["_links"]["pact-versions"]) == 1
    assert everything["_links"]["self"]["title"] == "All versions of the pact between Foo and Bar"
    assert client.get("/pacts/provider/Bar/consumer/Nobody/versions").status_code == 404


def test_provider_pacts_all_latest_tagged_and_by_branch(acme):
    client = _publish_history(acme)
    contracts_post(client, contract(pact_fixture("foo-baz"), provider="Baz"), version="3")

    def consumers_versions(path):
        return [link["href"].rsplit("/", 1)[1] for link in client.get(path).json()["_links"]["pb:pacts"]]

    assert consumers_versions("/pacts/provider/Bar") == ["1", "2", "3"]  # oldest first, as the broker sorts
    assert consumers_versions("/pacts/provider/Bar/latest") == ["3"]
    assert consumers_versions("/pacts/provider/Bar/latest/prod") == ["1"]
    assert consumers_versions("/pacts/provider/Bar/tag/feat") == ["2"]
    assert consumers_versions("/pacts/provider/Bar/branch") == ["1"]
    assert consumers_versions("/pacts/provider/Bar/branch/latest") == ["1"]
    assert consumers_versions("/pacts/provider/Bar/branch/feat") == ["2"]
    assert consumers_versions("/pacts/provider/Bar/branch/feat/latest") == ["2"]
    body = client.get("/pacts/provider/Bar/latest").json()
    assert body["_links"]["self"]["title"] == "Latest pact versions for the provider Bar"
    assert body["_links"]["pb:pacts"][0]["name"] == "Foo"
    assert client.get("/pacts/provider/Nobody").status_code == 404


def test_latest_pacts_has_one_entry_per_integration(acme):
    client = _publish_history(acme)
    contracts_post(client, contract(pact_fixture("foo-baz"), provider="Baz"), version="2")

    body = client.get("/pacts/latest").json()

    assert [
        (p["_embedded"]["provider"]["name"], p["_embedded"]["consumer"]["_embedded"]["version"]["number"])
        for p in body["pacts"]
    ] == [("Bar", "3"), ("Baz", "2")]
    assert body["_links"]["pb:pacts"][0]["title"] == "Latest pact between Foo and Bar"


def test_previous_distinct_skips_identical_content_and_diffs_are_text(acme):
    client = _publish_history(acme)

    previous = client.get(f"{BASE}/version/3/previous-distinct")
    diff = client.get(f"{BASE}/version/3/diff/previous-distinct")
    versions_diff = client.get(f"{BASE}/version/2/diff/version/1")
    first = client.get(f"{BASE}/version/1/diff/previous-distinct")

    assert _version(previous) == "2"
    assert diff["Content-Type"].startswith("text/plain")
    assert diff.content.decode().startswith("# Diff between versions 2 and 3 of the pact between Foo and Bar")
    assert '+            "name": "x"' in versions_diff.content.decode()
    assert first.content.decode().startswith("No previous distinct version was found")
    assert client.get(f"{BASE}/version/1/previous-distinct").status_code == 404


def test_diff_between_pact_versions_uses_the_templated_link(acme):
    client = _publish_history(acme)
    one = client.get(f"{BASE}/version/1").json()
    two = client.get(f"{BASE}/version/2").json()

    href = two["_links"]["pb:diff"]["href"].replace("{pactVersion}", one["_links"]["pb:pact-version"]["name"])
    response = client.get(href)

    assert response.status_code == 200
    assert "# Diff between versions" in response.content.decode()


def test_deleting_a_pact_answers_200_with_links_and_keeps_the_content(acme):
    client = _publish_history(acme)

    response = client.delete(f"{BASE}/version/3")

    assert response.status_code == 200
    assert set(response.json()["_links"]) == {"index", "pb:latest-pact-version"}
    assert client.get(f"{BASE}/version/3").status_code == 404
    assert _version(client.get(f"{BASE}/latest")) == "2"
    with schema_context(acme.schema):
        assert PactVersion.objects.count() == 2
    assert client.delete(f"{BASE}/version/3").status_code == 404


def test_deleting_tagged_and_all_pact_versions(acme):
    client = _publish_history(acme)

    tagged = client.delete(f"{BASE}/tag/prod")
    assert tagged.status_code == 200
    assert [
        p["_embedded"]["consumerVersion"]["number"] for p in client.get(f"{BASE}/versions").json()["_embedded"]["pacts"]
    ] == ["3", "2"]

    assert client.delete(f"{BASE}/versions").status_code == 204
    assert client.get(f"{BASE}/latest").status_code == 404


def test_reading_needs_a_token_and_writing_a_write_token(acme):
    client = _publish_history(acme)

    assert acme.client(token="").get(f"{BASE}/latest").status_code == 401
    assert acme.client(token=acme.read_token).get(f"{BASE}/latest").status_code == 200
    assert acme.client(token=acme.read_token).delete(f"{BASE}/version/1").status_code == 403
    assert client.get(f"{BASE}/version/1").status_code == 200


def _pact_with_states(consumer: str, states: list) -> dict:
    interactions = [
        {
            "description": f"request {index}",
            **state,
            "request": {"method": "GET", "path": "/"},
            "response": {"status": 200},
        }
        for index, state in enumerate(states)
    ]
    return {"consumer": {"name": consumer}, "provider": {"name": "Bar"}, "interactions": interactions}


def test_provider_states_of_the_main_branch_pacts_name_their_consumers(acme, outsider):
    client = acme.client()
    for consumer in ("Foo", "Baz"):
        client.put(f"/pacticipants/{consumer}", data='{"mainBranch": "main"}', content_type="application/json")
    v2 = [{"providerState": "things exist"}]
    v3 = [{"providerStates": [{"name": "a thing", "params": {"id": 1}}, {"name": "things exist"}]}]
    contracts_post(client, contract(_pact_with_states("Foo", v2)), version="1", branch="main")
    contracts_post(
        client, contract(_pact_with_states("Baz", v3), consumer="Baz"), pacticipant="Baz", version="1", branch="main"
    )
    contracts_post(
        client,
        contract(_pact_with_states("Baz", [{"providerState": "on a feature"}]), consumer="Baz"),
        pacticipant="Baz",
        version="2",
        branch="feat",
    )

    response = client.get("/pacts/provider/Bar/provider-states")

    assert response.status_code == 200
    assert response.json() == {
        "providerStates": [
            {"name": "a thing", "params": {"id": 1}, "consumers": ["Baz"]},
            {"name": "things exist", "consumers": ["Baz", "Foo"]},
        ]
    }
    feature = client.get("/pacts/provider/Bar/provider-states/branch/feat").json()
    assert feature == {"providerStates": [{"name": "on a feature", "consumers": ["Baz"]}]}
    missing = outsider.client().get("/pacts/provider/Bar/provider-states")
    assert missing.status_code == 404
    assert missing.json() == {"error": "No provider with name 'Bar' found"}


def test_the_extended_form_puts_the_content_under_contract_as_the_broker(acme):
    client = _publish_history(acme)

    response = client.get(f"{BASE}/latest", HTTP_ACCEPT="application/vnd.pactbrokerextended.v1+json")
    body = response.json()

    assert response["Content-Type"] == "application/vnd.pactbrokerextended.v1+json;charset=utf-8"
    assert body["contract"]["consumer"] == {"name": "Foo"} and "consumer" not in body
    assert body["_embedded"] == {"tags": []}
    assert "pb:publish-verification-results" in body["_links"]


def test_an_empty_path_segment_is_the_brokers_404_problem(acme):
    response = acme.client().get("/pacticipants", PATH_INFO="//pacticipants")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Empty path component found"
