"""Branches, branch versions and tags."""

from django_tenants.utils import schema_context

from apps.contracts import queries
from apps.contracts.models import Branch, BranchVersion, Pacticipant, Tag, Version
from tests.contracts.api.conftest import BASE


def branch_names(response):
    return [branch["name"] for branch in response.json()["_embedded"]["branches"]]


def test_branches_are_listed_most_recently_updated_first_and_always_paginated(api, data, acme):
    data.version("Foo", "1", branch="old")
    data.version("Foo", "2", branch="feat/new")
    with schema_context(acme.schema):
        Branch.objects.filter(name="old").update(updated_at="2020-01-01T00:00:00Z")

    body = api.get("/pacticipants/Foo/branches").json()

    assert [b["name"] for b in body["_embedded"]["branches"]] == ["feat/new", "old"]
    assert body["page"] == {"number": 1, "size": 100, "totalElements": 2, "totalPages": 1}
    assert body["_embedded"]["branches"][0]["_links"]["self"]["href"] == (
        BASE + "/pacticipants/Foo/branches/feat%2Fnew"
    )
    assert body["_links"]["pb:branches"][1] == {"name": "old", "href": BASE + "/pacticipants/Foo/branches/old"}
    assert branch_names(api.get("/pacticipants/Foo/branches?q=NEW")) == ["feat/new"]
    assert branch_names(api.get("/pacticipants/Foo/branches?size=1&page=2")) == ["old"]
    assert api.get("/pacticipants/Foo/branches?size=0").status_code == 400
    assert api.get("/pacticipants/Nope/branches").status_code == 404


def test_a_branch_with_a_slash_in_its_name_is_addressable(api, data):
    data.version("Foo", "1", branch="feat/x")

    branch = api.get("/pacticipants/Foo/branches/feat%2Fx")
    versions = api.get("/pacticipants/Foo/branches/feat%2Fx/versions")
    head = api.get("/pacticipants/Foo/branches/feat%2Fx/latest-version")
    branch_version = api.get("/pacticipants/Foo/branches/feat%2Fx/versions/1")

    assert branch.status_code == 200 and branch.json()["name"] == "feat/x"
    assert branch.json()["_links"]["pb:latest-version"]["href"] == (
        BASE + "/pacticipants/Foo/branches/feat%2Fx/latest-version"
    )
    assert [v["number"] for v in versions.json()["_embedded"]["versions"]] == ["1"]
    assert head.json()["number"] == "1"
    assert branch_version.json()["_links"]["pb:branch"]["name"] == "feat/x"


def test_deleting_a_branch_keeps_its_versions(api, data, acme):
    data.version("Foo", "1", branch="feat")

    assert api.delete("/pacticipants/Foo/branches/feat").status_code == 204
    assert api.get("/pacticipants/Foo/branches/feat").status_code == 404
    assert api.delete("/pacticipants/Foo/branches/feat").status_code == 404
    with schema_context(acme.schema):
        assert Version.objects.count() == 1 and not BranchVersion.objects.exists()


def test_bulk_branch_deletion_keeps_the_main_branch_and_the_excluded_ones(api, data, acme):
    for number, branch in enumerate(["main", "keep-me", "also", "gone-1", "gone-2"]):
        data.version("Foo", str(number), branch=branch)

    response = api.delete("/pacticipants/Foo/branches?exclude[]=keep-me&exclude[]=also")

    assert response.status_code == 202
    notice = response.json()["notices"][0]
    assert notice["type"] == "success"
    assert "2 branches" in notice["text"] and "main, keep-me, also" in notice["text"]
    with schema_context(acme.schema):
        assert set(Branch.objects.values_list("name", flat=True)) == {"main", "keep-me", "also"}


def test_the_branch_head_is_the_latest_added_version_and_falls_back_when_removed(api, data):
    data.version("Foo", "1")
    data.version("Foo", "2")

    first = api.put("/pacticipants/Foo/branches/main/versions/2")
    again = api.put("/pacticipants/Foo/branches/main/versions/2")
    api.put("/pacticipants/Foo/branches/main/versions/1")

    assert first.status_code == 201
    assert first["Location"] == BASE + "/pacticipants/Foo/branches/main/versions/2"
    assert first.json()["_links"]["pb:version"]["href"] == BASE + "/pacticipants/Foo/versions/2"
    assert again.status_code == 200
    assert api.get("/pacticipants/Foo/branches/main/latest-version").json()["number"] == "1"
    assert [
        v["number"] for v in api.get("/pacticipants/Foo/branches/main/versions").json()["_embedded"]["versions"]
    ] == ["2", "1"]
    assert api.delete("/pacticipants/Foo/branches/main/versions/1").status_code == 204
    assert api.get("/pacticipants/Foo/branches/main/latest-version").json()["number"] == "2"
    assert api.get("/pacticipants/Foo/branches/main/versions/1").status_code == 404
    assert api.delete("/pacticipants/Foo/branches/main/versions/1").status_code == 404


def test_putting_a_branch_version_creates_pacticipant_version_and_main_branch(api, acme):
    response = api.put("/pacticipants/New/branches/main/versions/abc")

    assert response.status_code == 201
    assert api.get("/pacticipants/New").json()["mainBranch"] == "main"
    assert api.put("/pacticipants/New/branches/x/versions/abc", content_type="text/plain").status_code == 415


def test_missing_branches_are_404s(api, data):
    data.pacticipant("Foo")

    for path in [
        "/pacticipants/Foo/branches/nope",
        "/pacticipants/Foo/branches/nope/versions",
        "/pacticipants/Foo/branches/nope/latest-version",
        "/pacticipants/Foo/branches/nope/versions/1",
    ]:
        assert api.get(path).status_code == 404, path


def test_putting_a_tag_creates_pacticipant_version_and_branch_of_a_first_tag(api, acme):
    created = api.put("/pacticipants/Foo/versions/1/tags/main")
    again = api.put("/pacticipants/Foo/versions/1/tags/main")

    body = created.json()
    assert created.status_code == 201
    assert created["Location"] == BASE + "/pacticipants/Foo/versions/1/tags/main"
    assert body["name"] == "main"
    assert body["_links"]["version"]["href"] == BASE + "/pacticipants/Foo/versions/1"
    assert body["_links"]["pacticipant"]["href"] == BASE + "/pacticipants/Foo"
    assert again.status_code == 200
    with schema_context(acme.schema):
        foo = Pacticipant.objects.get(name="Foo")
        assert foo.main_branch == "main"  # tag named like a main branch candidate
        assert queries.branch_head_version(foo, "main").number == "1"  # first tag becomes the branch


def test_tags_are_read_deleted_and_listed_per_name(api, data, acme):
    data.version("Foo", "1", tags=["prod"])
    data.version("Foo", "2", tags=["prod", "feat/y"])
    data.version("Foo", "3")

    assert api.get("/pacticipants/Foo/versions/2/tags/feat%2Fy").json()["name"] == "feat/y"
    versions = api.get("/pacticipants/Foo/tags/prod/versions").json()
    assert [v["number"] for v in versions["_embedded"]["versions"]] == ["2", "1"]
    assert api.get("/pacticipants/Foo/tags/nope/versions").status_code == 404
    assert api.delete("/pacticipants/Foo/versions/2/tags/prod").status_code == 204
    assert api.get("/pacticipants/Foo/versions/2/tags/prod").status_code == 404
    assert api.delete("/pacticipants/Foo/versions/2/tags/prod").status_code == 404
    assert api.get("/pacticipants/Foo/latest-version/prod").json()["number"] == "1"
    with schema_context(acme.schema):
        assert Tag.objects.count() == 2


def test_a_tag_put_needs_a_json_content_type_and_a_refused_put_creates_nothing(api, acme):
    response = api.client.put("/pacticipants/Foo/versions/1/tags/dev")

    assert response.status_code == 415
    with schema_context(acme.schema):
        assert not Pacticipant.objects.exists()
