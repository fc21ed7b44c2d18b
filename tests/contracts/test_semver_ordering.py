"""Semantic version ordering (`ORDER_VERSIONS_BY_DATE=false`), as the broker's `OrderVersions`.

"Latest" everywhere reads a version's `order` (or a copy of it on tags, branch versions and pact
publications), so placing a new version among the others moves every "latest" with it.
"""

import json

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.contracts.models import BranchVersion, LatestPactPublication, PactPublication, Tag, Version
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put, verification_post

VERSIONS_OF_FOO = "/pacticipants/Foo/versions"


@pytest.fixture
def semantic(settings):
    settings.ORDER_VERSIONS_BY_DATE = False
    return settings


def _publish(client, *numbers, branch="main", tags=("dev",)):
    for number in numbers:
        doc = pact_fixture("foo-bar")
        doc["interactions"][0]["description"] += f" {number}"  # distinct content per version
        response = contracts_post(client, contract(doc), version=number, branch=branch, tags=list(tags))
        assert response.status_code == 200, response.content


def _numbers(client, path=VERSIONS_OF_FOO) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return [v["number"] for v in response.json()["_embedded"]["versions"]]


def _latest_number(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["number"]


def _orders(org) -> dict[str, int]:
    with schema_context(org.schema):
        return dict(Version.objects.filter(pacticipant__name="Foo").values_list("number", "order"))


def _copies_match_their_versions(org) -> None:
    """Every denormalised copy of a version's order equals the version's order (and there are some)."""
    with schema_context(org.schema):
        for model, copy, relation in [
            (Tag, "version_order", "version"),
            (BranchVersion, "version_order", "version"),
            (PactPublication, "consumer_version_order", "consumer_version"),
            (LatestPactPublication, "consumer_version_order", "consumer_version"),
        ]:
            assert model.objects.exists(), model
            assert not model.objects.exclude(**{copy: F(f"{relation}__order")}).exists(), model


def test_publishing_out_of_order_gives_the_semantic_latest_and_list(acme, semantic):
    client = acme.client()
    _publish(client, "1.10.0", "1.2.0", "1.9.0")

    assert _latest_number(client, "/pacticipants/Foo/latest-version") == "1.10.0"
    assert _numbers(client) == ["1.10.0", "1.9.0", "1.2.0"]
    assert _latest_number(client, "/pacticipants/Foo/latest-version/dev") == "1.10.0"
    assert _numbers(client, "/pacticipants/Foo/tags/dev/versions") == ["1.10.0", "1.9.0", "1.2.0"]
    assert _numbers(client, "/pacticipants/Foo/branches/main/versions") == ["1.10.0", "1.9.0", "1.2.0"]
    latest_pact = client.get("/pacts/provider/Bar/consumer/Foo/latest")
    assert latest_pact["X-Pact-Consumer-Version"] == "1.10.0"
    assert client.get("/pacts/provider/Bar/consumer/Foo/latest/dev")["X-Pact-Consumer-Version"] == "1.10.0"
    _copies_match_their_versions(acme)


def test_the_branch_head_stays_the_most_recently_added_version_as_in_the_broker(acme, semantic):
    # The broker's BranchVersionRepository#add_branch upserts the head on every new branch version,
    # whatever the order; only a head that disappears falls back to the highest order.
    client = acme.client()
    _publish(client, "1.10.0", "1.9.0", "1.2.0")

    assert _latest_number(client, "/pacticipants/Foo/branches/main/latest-version") == "1.2.0"

    assert client.delete("/pacticipants/Foo/branches/main/versions/1.2.0").status_code == 204
    # Creation order would fall back to 1.9.0.
    assert _latest_number(client, "/pacticipants/Foo/branches/main/latest-version") == "1.10.0"


def test_inserting_in_the_middle_renumbers_the_later_versions_and_their_copies(acme, semantic):
    client = acme.client()
    _publish(client, "1.0.0", "3.0.0")
    before = _orders(acme)

    _publish(client, "2.0.0")

    after = _orders(acme)
    assert after["1.0.0"] == before["1.0.0"]
    assert after["2.0.0"] == before["1.0.0"] + 1
    assert after["3.0.0"] == before["3.0.0"] + 1
    _copies_match_their_versions(acme)


def test_a_new_highest_version_moves_nobody(acme, semantic):
    client = acme.client()
    _publish(client, "1.0.0", "2.0.0")
    before = _orders(acme)

    _publish(client, "2.1.0")

    after = _orders(acme)
    assert {n: after[n] for n in before} == before
    assert after["2.1.0"] > after["2.0.0"]


def test_pre_releases_sort_before_their_release(acme, semantic):
    client = acme.client()
    _publish(client, "2.0.0", "2.0.0-rc.1", "1.9.9", "2.0.0-rc.2")

    assert _numbers(client) == ["2.0.0", "2.0.0-rc.2", "2.0.0-rc.1", "1.9.9"]


def test_versions_that_do_not_parse_go_to_the_bottom(acme, semantic):
    # Version resources are not validated (only pacts and verifications are), as in the broker.
    client = acme.client()
    _publish(client, "1.0.0")
    for number in ["main", "develop"]:
        response = client.put(f"{VERSIONS_OF_FOO}/{number}", data="{}", content_type="application/json")
        assert response.status_code == 201
    _publish(client, "0.1.0")

    # A new unparsable number goes below everything, earlier unparsable ones included.
    assert _numbers(client) == ["1.0.0", "0.1.0", "main", "develop"]
    assert _latest_number(client, "/pacticipants/Foo/latest-version") == "1.0.0"


def test_a_version_created_by_tagging_is_placed_and_its_tag_copy_kept(acme, semantic):
    client = acme.client()
    _publish(client, "1.0.0", "3.0.0")

    response = client.put(f"{VERSIONS_OF_FOO}/2.0.0/tags/prod", data="{}", content_type="application/json")
    assert response.status_code == 201
    _publish(client, "1.5.0")

    assert _numbers(client) == ["3.0.0", "2.0.0", "1.5.0", "1.0.0"]
    assert _latest_number(client, "/pacticipants/Foo/latest-version/prod") == "2.0.0"
    _copies_match_their_versions(acme)


def test_the_matrix_and_pacts_for_verification_follow(acme, semantic):
    client = acme.client()
    _publish(client, "1.10.0", "1.2.0")

    matrix = client.get("/matrix?q[][pacticipant]=Foo&q[][latest]=true&latestby=cvp").json()
    assert [row["consumer"]["version"]["number"] for row in matrix["matrix"]] == ["1.10.0"]
    found = client.post(
        "/pacts/provider/Bar/for-verification",
        data=json.dumps({"consumerVersionSelectors": [{"branch": "main"}, {"tag": "dev", "latest": True}]}),
        content_type="application/json",
        HTTP_ACCEPT="application/hal+json",
    )
    assert found.status_code == 200, found.content
    names = [p["_links"]["self"]["name"] for p in found.json()["_embedded"]["pacts"]]
    # The branch head is 1.2.0 (most recently added); the latest "dev" version is 1.10.0.
    assert sorted(names) == ["Pact between Foo (1.10.0) and Bar", "Pact between Foo (1.2.0) and Bar"]


def test_a_verification_with_a_provider_version_that_does_not_parse_is_a_400(acme, semantic):
    client = acme.client()
    _publish(client, "1.0.0")
    pact = client.get("/pacts/provider/Bar/consumer/Foo/latest").json()

    response = verification_post(client, pact, provider_version="abcdef")

    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "providerApplicationVersion": [
                "Version number 'abcdef' cannot be parsed to a version number. The expected format (unless this "
                "configuration has been overridden) is a semantic version. eg. 1.3.0 or 2.0.4.rc1"
            ]
        }
    }
    with schema_context(acme.schema):
        assert not Version.objects.filter(pacticipant__name="Bar").exists()
    assert verification_post(client, pact, provider_version="2.0.0").status_code == 201


def test_a_pact_put_with_a_consumer_version_that_does_not_parse_is_a_400(acme, semantic):
    client = acme.client()

    response = pact_put(client, pact_fixture("foo-bar"), version="main")

    assert response.status_code == 400
    assert response.json()["errors"]["consumer_version_number"] == [
        "Version number 'main' cannot be parsed to a version number. The expected format (unless this "
        "configuration has been overridden) is a semantic version. eg. 1.3.0 or 2.0.4.rc1"
    ]
    with schema_context(acme.schema):
        assert not Version.objects.exists()


def test_semantic_ordering_locks_the_pacticipant_and_moves_versions_only_when_needed(acme, semantic):
    client = acme.client()
    _publish(client, "1.0.0", "3.0.0")

    with CaptureQueriesContext(connection) as on_top:
        _publish(client, "4.0.0")
    with CaptureQueriesContext(connection) as in_the_middle:
        _publish(client, "2.0.0")
    with CaptureQueriesContext(connection) as existing:
        _publish(client, "2.0.0")

    def locks(captured):
        return [q["sql"] for q in captured.captured_queries if "FOR NO KEY UPDATE" in q["sql"]]

    assert len(locks(on_top)) == len(locks(in_the_middle)) == len(locks(existing)) == 1
    # On top: lock and read; in the middle one more statement moves the versions above.
    assert len(in_the_middle.captured_queries) == len(on_top.captured_queries) + 1


def test_by_default_versions_keep_creation_order_and_any_number_is_accepted(acme):
    client = acme.client()
    _publish(client, "1.10.0", "1.2.0", "1.9.0")

    assert _latest_number(client, "/pacticipants/Foo/latest-version") == "1.9.0"
    assert _numbers(client) == ["1.9.0", "1.2.0", "1.10.0"]
    pact = client.get("/pacts/provider/Bar/consumer/Foo/latest").json()
    assert verification_post(client, pact, provider_version="abcdef").status_code == 201
    assert pact_put(client, pact_fixture("foo-bar"), version="main").status_code == 201
    assert _latest_number(client, "/pacticipants/Foo/latest-version") == "main"


def test_the_outsider_sees_none_of_it(acme, outsider, semantic):
    _publish(acme.client(), "1.0.0")

    assert outsider.client().get(VERSIONS_OF_FOO).status_code == 404
