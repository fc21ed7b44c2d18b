"""Versions: get, create-or-update (PUT/PATCH and their 415s), delete, latest, lists."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.contracts import queries
from apps.contracts.models import Tag, Version
from tests.contracts.api.conftest import BASE


def test_a_version_shows_its_branches_tags_and_links(api, data):
    data.version("Foo", "1", branch="main", tags=["prod"])

    response = api.get("/pacticipants/Foo/versions/1")
    body = response.json()

    assert response.status_code == 200
    assert body["number"] == "1" and "buildUrl" not in body and body["createdAt"]
    branch_version = {
        "name": "main",
        "latest": True,
        "_links": {
            "self": {
                "title": "Branch version",
                "name": "main",
                "href": BASE + "/pacticipants/Foo/branches/main/versions/1",
            }
        },
    }
    assert body["_embedded"]["branchVersions"] == [branch_version]
    assert "branches" not in body["_embedded"]  # the broker embeds only branchVersions
    assert body["_embedded"]["tags"][0]["name"] == "prod"
    links = body["_links"]
    assert links["self"]["href"] == BASE + "/pacticipants/Foo/versions/1"
    assert links["pb:pacticipant"]["href"] == BASE + "/pacticipants/Foo"
    assert links["pb:tag"]["href"] == BASE + "/pacticipants/Foo/versions/1/tags/{tag}"
    assert links["pb:latest-verification-results-where-pacticipant-is-consumer"]["href"] == (
        BASE + "/verification-results/consumer/Foo/version/1/latest"
    )
    for rel in [
        "pb:pact-versions",
        "pb:deployed-environments",
        "pb:released-environments",
        "pb:record-deployment",
        "pb:record-release",
    ]:
        assert isinstance(links[rel], list), rel


def test_missing_versions_and_pacticipants_are_404s(api, data):
    data.pacticipant("Foo")

    assert api.get("/pacticipants/Foo/versions/9").status_code == 404
    assert api.get("/pacticipants/Nope/versions/1").status_code == 404
    assert api.get("/pacticipants/Nope/versions").status_code == 404
    assert api.delete("/pacticipants/Foo/versions/9").status_code == 404


def test_put_creates_a_version_with_its_pacticipant_build_url_and_tags(api):
    response = api.put("/pacticipants/Foo/versions/1", {"buildUrl": "https://ci/1", "tags": [{"name": "dev"}]})
    body = response.json()

    assert response.status_code == 201
    assert "Location" not in response  # as the broker answers
    assert body["buildUrl"] == "https://ci/1"
    assert [tag["name"] for tag in body["_embedded"]["tags"]] == ["dev"]


def test_put_overwrites_build_url_and_replaces_tags_only_when_given(api, in_acme):
    api.put("/pacticipants/Foo/versions/1", {"buildUrl": "https://ci/1", "tags": [{"name": "dev"}, {"name": "a"}]})
    order = Version.objects.get().order

    no_tags = api.put("/pacticipants/Foo/versions/1", {})
    replaced = api.put("/pacticipants/Foo/versions/1", {"tags": [{"name": "a"}, {"name": "b"}]})

    assert no_tags.status_code == 200
    assert "buildUrl" not in no_tags.json()
    assert [tag["name"] for tag in no_tags.json()["_embedded"]["tags"]] == ["dev", "a"]
    assert sorted(tag["name"] for tag in replaced.json()["_embedded"]["tags"]) == ["a", "b"]
    assert Version.objects.get().order == order  # order never changes on update


def test_patch_changes_only_the_given_properties(api):
    api.put("/pacticipants/Foo/versions/1", {"buildUrl": "https://ci/1", "tags": [{"name": "dev"}]})

    response = api.patch("/pacticipants/Foo/versions/1", {"tags": [{"name": "prod"}]})
    created = api.patch("/pacticipants/Foo/versions/2", {"buildUrl": "https://ci/2"})

    assert response.status_code == 200
    assert response.json()["buildUrl"] == "https://ci/1"
    assert [tag["name"] for tag in response.json()["_embedded"]["tags"]] == ["prod"]
    assert created.status_code == 201 and created.json()["buildUrl"] == "https://ci/2"


def test_put_with_merge_patch_and_patch_with_json_are_415s(api, in_acme):
    assert api.put("/pacticipants/Foo/versions/1", {}, content_type="application/merge-patch+json").status_code == 415
    assert api.patch("/pacticipants/Foo/versions/1", {}, content_type="application/json").status_code == 415
    assert not Version.objects.exists()


def test_an_invalid_version_body_is_a_400_and_changes_nothing(api, in_acme):
    api.put("/pacticipants/Foo/versions/1", {"buildUrl": "https://ci/1"})

    response = api.put("/pacticipants/Foo/versions/1", {"buildUrl": {"url": 5}, "tags": [{"nope": 1}]})
    new_version = api.put("/pacticipants/Bar/versions/1", {"tags": "dev"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"buildUrl", "tags"}
    assert new_version.status_code == 400
    assert Version.objects.get().build_url == "https://ci/1"
    assert not queries.pacticipant_find("Bar")


def test_a_numeric_build_url_is_kept_as_its_text_as_the_broker_does(api):
    response = api.put("/pacticipants/Foo/versions/1", {"buildUrl": 12})

    assert response.status_code == 201 and response.json()["buildUrl"] == "12"


def test_deleting_a_version_removes_its_tags_and_moves_branch_heads_back(api, data, acme):
    data.version("Foo", "1", branch="main")
    data.version("Foo", "2", branch="main", tags=["prod"])

    response = api.delete("/pacticipants/Foo/versions/2")

    assert response.status_code == 204
    with schema_context(acme.schema):
        foo = queries.pacticipant_find("Foo")
        assert list(Version.objects.values_list("number", flat=True)) == ["1"]
        assert not Tag.objects.exists()
        assert queries.branch_head_version(foo, "main").number == "1"


def test_latest_version_is_the_most_recently_created_not_the_highest_semver(api, data):
    data.version("Foo", "2.0.0", tags=["prod"])
    data.version("Foo", "1.0.0", tags=["dev"])

    latest = api.get("/pacticipants/Foo/latest-version")
    latest_prod = api.get("/pacticipants/Foo/latest-version/prod")

    assert latest.json()["number"] == "1.0.0"
    assert latest.json()["_links"]["self"]["href"] == BASE + "/pacticipants/Foo/latest-version"
    assert latest_prod.json()["number"] == "2.0.0"
    assert api.get("/pacticipants/Foo/latest-version/nope").status_code == 404
    assert api.get("/pacticipants/Nope/latest-version").status_code == 404


def test_versions_are_listed_newest_first_and_paginated(api, data):
    for number in ["1", "2", "3"]:
        data.version("Foo", number)

    listed = api.get("/pacticipants/Foo/versions").json()
    paged = api.get("/pacticipants/Foo/versions?size=2&page=1").json()

    assert [v["number"] for v in listed["_embedded"]["versions"]] == ["3", "2", "1"]
    assert listed["_embedded"]["versions"][0]["_links"]["self"]["href"] == BASE + "/pacticipants/Foo/versions/3"
    assert listed["_links"]["self"]["href"] == BASE + "/pacticipants/Foo/versions"
    assert listed["_links"]["pb:pacticipant"]["href"] == BASE + "/pacticipants/Foo"
    assert listed["_links"]["pb:versions"][0]["title"].startswith("Version 3 - ")
    assert [v["number"] for v in paged["_embedded"]["versions"]] == ["3", "2"]
    assert paged["page"] == {"number": 1, "size": 2, "totalElements": 3, "totalPages": 2}
    assert paged["_links"]["next"]["href"] == BASE + "/pacticipants/Foo/versions?size=2&page=2"
    assert api.get("/pacticipants/Foo/versions?page=x").status_code == 400


def _query_count(api, path):
    api.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


def test_the_versions_list_costs_the_same_queries_for_1_or_many_versions(api, data, django_assert_max_num_queries):
    data.version("Foo", "0", branch="main", tags=["t"])
    one = _query_count(api, "/pacticipants/Foo/versions")
    for number in range(1, 10):
        data.version("Foo", str(number), branch=f"b{number % 3}", tags=[f"t{number}", "all"])

    assert _query_count(api, "/pacticipants/Foo/versions") == one
    with django_assert_max_num_queries(11):  # +1 role permissions, +3 environment links (batched)
        api.get("/pacticipants/Foo/versions")
