"""Pacticipants: list, get, create, replace, merge, delete (with its cascade), labels."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.contracts.models import (
    Branch,
    BranchVersion,
    Integration,
    Label,
    Pacticipant,
    PactPublication,
    PactVersion,
    Tag,
    Version,
)
from apps.verifications.models import Verification
from tests.contracts.api.conftest import BASE
from tests.support.factories import pact_publish, verify


def names(response):
    return [item["name"] for item in response.json()["_embedded"]["pacticipants"]]


def test_pacticipants_are_listed_by_name_case_insensitively(api, data):
    for name in ["beta", "Alpha", "charlie"]:
        data.pacticipant(name)

    response = api.get("/pacticipants")
    body = response.json()

    assert response.status_code == 200
    assert names(response) == ["Alpha", "beta", "charlie"]
    assert [item["title"] for item in body["pacticipants"]] == [
        "DEPRECATED - Please use the embedded pacticipants collection"
    ] * 3
    assert body["_links"]["self"]["href"] == BASE + "/pacticipants"
    assert body["_links"]["pb:pacticipants-with-label"]["href"] == BASE + "/pacticipants/label/{label}"
    assert body["_links"]["pb:pacticipants"][0] == {
        "href": BASE + "/pacticipants/Alpha",
        "title": "Pacticipant",
        "name": "Alpha",
    }
    assert "page" not in body  # unpaginated without page parameters


def test_the_pacticipant_list_filters_by_a_name_substring(api, data):
    for name in ["order-service", "Orders UI", "billing"]:
        data.pacticipant(name)

    assert names(api.get("/pacticipants?q=order")) == ["order-service", "Orders UI"]


def test_the_pacticipant_list_paginates_with_page_and_size_or_the_legacy_names(api, data):
    for name in ["a", "b", "c", "d", "e"]:
        data.pacticipant(name)

    second = api.get("/pacticipants?page=2&size=2&q=").json()
    legacy = api.get("/pacticipants?pageNumber=3&pageSize=2").json()

    assert [item["name"] for item in second["_embedded"]["pacticipants"]] == ["c", "d"]
    assert second["page"] == {"number": 2, "size": 2, "totalElements": 5, "totalPages": 3}
    # next/previous links drop other query parameters, as the broker does
    assert second["_links"]["next"] == {"href": BASE + "/pacticipants?size=2&page=3", "title": "Next page"}
    assert second["_links"]["previous"] == {"href": BASE + "/pacticipants?size=2&page=1", "title": "Previous page"}
    assert [item["name"] for item in legacy["_embedded"]["pacticipants"]] == ["e"]
    assert "next" not in legacy["_links"]


def test_only_one_pagination_parameter_defaults_the_other(api, data):
    data.pacticipant("a")

    assert api.get("/pacticipants?size=1").json()["page"]["number"] == 1
    assert api.get("/pacticipants?page=1").json()["page"]["size"] == 100


def test_invalid_pagination_is_a_400(api):
    for query, key in [("page=0", "page"), ("size=x", "size"), ("pageSize=-1", "pageSize")]:
        response = api.get(f"/pacticipants?{query}")

        assert response.status_code == 400, query
        assert key in response.json()["errors"], query


def test_a_pacticipant_has_its_latest_version_labels_and_links(api, data):
    data.version("Foo", "1")
    data.version("Foo", "2")
    api.put("/pacticipants/Foo/labels/team-a")

    response = api.get("/pacticipants/Foo")
    body = response.json()

    assert response.status_code == 200
    assert body["name"] == "Foo" and body["displayName"] == "Foo"
    assert body["_embedded"]["latestVersion"]["number"] == "2"
    assert body["_embedded"]["latestVersion"]["_links"]["self"]["href"] == BASE + "/pacticipants/Foo/versions/2"
    assert body["_embedded"]["latest-version"]["title"] == "DEPRECATED - please use latestVersion"
    assert body["_embedded"]["labels"][0]["name"] == "team-a"
    links = body["_links"]
    assert links["self"]["href"] == BASE + "/pacticipants/Foo"
    assert links["pb:versions"]["href"] == BASE + "/pacticipants/Foo/versions"
    assert links["pb:version"]["href"] == BASE + "/pacticipants/Foo/versions/{version}"
    assert links["pb:version-tag"]["href"] == BASE + "/pacticipants/Foo/versions/{version}/tags/{tag}"
    assert links["pb:branch-version"]["href"] == BASE + "/pacticipants/Foo/branches/{branch}/versions/{version}"
    assert links["pb:label"]["href"] == BASE + "/pacticipants/Foo/labels/{label}"
    assert links["pb:branches"]["href"] == BASE + "/pacticipants/Foo/branches"
    assert links["curies"][0]["href"] == BASE + "/doc/{rel}?context=pacticipant"
    assert "mainBranch" not in body  # nil properties are omitted


def test_names_are_percent_encoded_in_links(api, data):
    data.pacticipant("Foo Bar")

    body = api.get("/pacticipants/Foo%20Bar").json()

    assert body["_links"]["self"]["href"] == BASE + "/pacticipants/Foo%20Bar"
    assert body["displayName"] == "Foo Bar"


def test_an_unknown_pacticipant_is_a_404(api):
    response = api.get("/pacticipants/Nope")

    assert response.status_code == 404
    assert response.json() == {"error": "No pacticipant with name 'Nope' found"}


def test_creating_a_pacticipant_answers_201_with_the_brokers_misspelt_location(api):
    response = api.post(
        "/pacticipants",
        {
            "name": "Foo Thing",
            "mainBranch": "main",
            "repositoryUrl": "http://url",
            "repositoryName": "foo-thing",
            "repositoryNamespace": "some-group",
        },
    )
    body = response.json()

    assert response.status_code == 201
    assert response["Location"] == BASE + "/pacticpants/Foo%20Thing"
    assert body["name"] == "Foo Thing" and body["displayName"] == "Foo Thing"
    assert body["mainBranch"] == "main" and body["repositoryNamespace"] == "some-group"


def test_invalid_pacticipants_are_refused_in_the_brokers_error_shape_and_nothing_is_saved(api, in_acme):
    cases = [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "Foo", "mainBranch": "has space"}, "mainBranch"),
        ({"name": "Foo", "displayName": "two\nlines"}, "displayName"),
        ({"name": "Foo", "repositoryUrl": 42}, "repositoryUrl"),
    ]
    for body, key in cases:
        response = api.post("/pacticipants", body)

        assert response.status_code == 400, body
        assert key in response.json()["errors"], body
    assert api.post("/pacticipants", {"name": "Foo", "mainBranch": "a b"}).json() == {
        "errors": {"mainBranch": ["cannot contain spaces"]}
    }
    assert not Pacticipant.objects.exists()


def test_creating_an_existing_pacticipant_answers_it_unchanged_as_the_broker_does(api, data):
    data.pacticipant("Foo")

    response = api.post("/pacticipants", {"name": "Foo", "displayName": "Other"})

    assert response.status_code == 201
    assert response.json()["name"] == "Foo" and response.json()["displayName"] == "Foo"


def test_a_body_that_is_not_json_is_a_400_and_another_content_type_a_415(api):
    bad_json = api.client.post("/pacticipants", data="{nope", content_type="application/json")
    form = api.client.post("/pacticipants", data="name=Foo", content_type="application/x-www-form-urlencoded")

    assert bad_json.status_code == 400 and "error" in bad_json.json()
    assert (form.status_code, form.content) == (415, b"")  # the broker's 415 has no body


def test_put_replaces_the_pacticipant_and_nulls_missing_properties(api):
    api.post(
        "/pacticipants",
        {"name": "Foo", "displayName": "Foo App", "repositoryUrl": "http://git/foo", "mainBranch": "main"},
    )

    response = api.put("/pacticipants/Foo", {"repositoryName": "foo"})
    body = response.json()

    assert response.status_code == 200
    assert body["repositoryName"] == "foo"
    assert "repositoryUrl" not in body and "mainBranch" not in body
    assert body["displayName"] == "Foo"  # a blank display name is generated again


def test_put_of_a_missing_pacticipant_is_a_404_and_put_with_merge_patch_a_415(api, data):
    data.pacticipant("Foo")

    assert api.put("/pacticipants/Nope", {"displayName": "x"}).status_code == 404
    assert (
        api.put("/pacticipants/Foo", {"displayName": "x"}, content_type="application/merge-patch+json").status_code
        == 415
    )


def test_patch_merges_with_json_or_merge_patch(api):
    api.post("/pacticipants", {"name": "Foo", "repositoryUrl": "http://git/foo"})

    merged = api.patch("/pacticipants/Foo", {"mainBranch": "main"})
    as_json = api.patch("/pacticipants/Foo", {"displayName": "Foo App"}, content_type="application/json")

    assert merged.status_code == 200
    assert merged.json()["repositoryUrl"] == "http://git/foo" and merged.json()["mainBranch"] == "main"
    assert as_json.status_code == 200 and as_json.json()["displayName"] == "Foo App"
    assert as_json.json()["mainBranch"] == "main"


def test_patch_creates_a_missing_pacticipant(api):
    response = api.patch("/pacticipants/New-App", {"mainBranch": "main"})

    assert response.status_code == 201
    assert response["Location"] == BASE + "/pacticipants/New-App"
    assert response.json()["displayName"] == "New App"


def test_an_invalid_patch_changes_nothing(api, data, in_acme):
    api.post("/pacticipants", {"name": "Foo", "displayName": "Foo App"})

    response = api.patch("/pacticipants/Foo", {"displayName": "Bar", "mainBranch": "a b"})

    assert response.status_code == 400
    assert Pacticipant.objects.get(name="Foo").display_name == "Foo App"


def test_deleting_a_pacticipant_removes_everything_that_belongs_to_it(api, data, acme):
    consumer_version = data.version("Foo", "1", branch="main", tags=["prod"])
    provider_version = data.version("Bar", "9")
    data.version("Other", "1", branch="main", tags=["prod"])
    api.put("/pacticipants/Foo/labels/team-a")
    with schema_context(acme.schema):
        verify(pact_publish(consumer_version.pacticipant.name, consumer_version.number, "Bar"), provider_version.number)

    response = api.delete("/pacticipants/Foo")

    assert response.status_code == 204
    with schema_context(acme.schema):
        assert set(Pacticipant.objects.values_list("name", flat=True)) == {"Bar", "Other"}
        assert list(Version.objects.values_list("pacticipant__name", flat=True).order_by("pacticipant__name")) == [
            "Bar",
            "Other",
        ]
        assert list(Branch.objects.values_list("pacticipant__name", flat=True)) == ["Other"]
        assert BranchVersion.objects.count() == 1 and Tag.objects.count() == 1
        assert not Label.objects.exists() and not Integration.objects.exists()
        assert not PactVersion.objects.exists() and not PactPublication.objects.exists()
        assert not Verification.objects.exists()
    assert api.delete("/pacticipants/Foo").status_code == 404


def test_a_read_only_token_cannot_change_pacticipants(acme, api, data):
    data.pacticipant("Foo")
    read_only = acme.client(token=acme.read_token)

    assert read_only.get("/pacticipants/Foo").status_code == 200
    assert read_only.delete("/pacticipants/Foo").status_code == 403
    assert read_only.post("/pacticipants", data='{"name": "X"}', content_type="application/json").status_code == 403


def test_another_organisation_never_sees_acmes_pacticipants(acme, outsider, data):
    data.version("Secret", "1")
    globex = outsider.client()

    assert globex.get("/pacticipants").json()["_embedded"]["pacticipants"] == []
    assert globex.get("/pacticipants/Secret").status_code == 404
    assert globex.get("/pacticipants/Secret/versions/1").status_code == 404
    assert acme.client(token=outsider.token).get("/pacticipants/Secret").status_code == 401


def _query_count(api, path):
    api.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


def test_the_pacticipant_list_costs_the_same_queries_for_1_or_many_pacticipants(
    api, data, django_assert_max_num_queries
):
    data.version("A", "1")
    few = _query_count(api, "/pacticipants")
    paged_few = _query_count(api, "/pacticipants?size=50")
    for index in range(8):
        data.version(f"P{index}", "1")
        data.version(f"P{index}", "2")
        api.put(f"/pacticipants/P{index}/labels/l{index}")

    assert _query_count(api, "/pacticipants") == few
    assert _query_count(api, "/pacticipants?size=50") == paged_few
    with django_assert_max_num_queries(7):  # +1: the role permissions of the token's user
        api.get("/pacticipants?size=50")


def test_a_pacticipant_costs_a_constant_number_of_queries(api, data, django_assert_max_num_queries):
    data.version("Foo", "1")
    api.put("/pacticipants/Foo/labels/a")
    api.put("/pacticipants/Foo/labels/b")
    with django_assert_max_num_queries(6):  # +1: the role permissions of the token's user
        api.get("/pacticipants/Foo")


def test_labels_are_put_read_listed_and_deleted(api, data):
    created = api.put("/pacticipants/Foo/labels/team-a")
    again = api.put("/pacticipants/Foo/labels/team-a")
    api.put("/pacticipants/Bar/labels/team-a")
    api.put("/pacticipants/Bar/labels/team-b")

    assert created.status_code == 201 and again.status_code == 200  # the pacticipant was created too
    assert created.json()["_links"]["pacticipant"]["href"] == BASE + "/pacticipants/Foo"
    assert api.get("/pacticipants/Foo/labels/team-a").json()["name"] == "team-a"
    assert names(api.get("/pacticipants/label/team-a")) == ["Bar", "Foo"]
    assert "pacticipants" not in api.get("/pacticipants/label/team-a").json()  # no deprecated copy here
    labels = api.get("/labels").json()
    assert labels["_embedded"]["labels"] == [{"name": "team-a"}, {"name": "team-b"}]
    assert api.get("/labels?size=1&page=2").json()["_embedded"]["labels"] == [{"name": "team-b"}]
    assert api.delete("/pacticipants/Foo/labels/team-a").status_code == 204
    assert api.get("/pacticipants/Foo/labels/team-a").status_code == 404
    assert api.delete("/pacticipants/Foo/labels/team-a").status_code == 404
    assert api.put("/pacticipants/Foo/labels/x", content_type="text/plain").status_code == 415
