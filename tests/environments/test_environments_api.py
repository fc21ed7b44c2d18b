"""Environments, deployed versions and released versions over HTTP, in the broker's shapes."""

import json

from django.test import RequestFactory
from django_tenants.utils import schema_context

from apps.environments.models import DeployedVersion
from apps.environments.queries import version_links_for_environments
from apps.environments.services import deployed_version_for_tag
from tests.support.factories import version_ensure

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"


def create_env(client, **body):
    payload = {"name": "prod", "production": True, **body}
    return client.post("/environments", json.dumps(payload), content_type=JSON)


def test_environment_is_created_with_a_location_and_the_brokers_links(acme):
    response = create_env(
        acme.client(), displayName="Production", contacts=[{"name": "Team", "details": {"slack": "#prod"}}]
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"http://{acme.host}/environments/{body['uuid']}"
    assert body["name"] == "prod" and body["displayName"] == "Production" and body["production"] is True
    assert body["contacts"] == [{"name": "Team", "details": {"slack": "#prod"}}]
    assert set(body["_links"]) == {
        "self",
        "pb:currently-deployed-deployed-versions",
        "pb:currently-supported-released-versions",
        "pb:environments",
    }
    assert body["_links"]["pb:currently-deployed-deployed-versions"]["href"].endswith(
        f"/environments/{body['uuid']}/deployed-versions/currently-deployed"
    )


def test_environment_names_have_no_spaces_and_are_unique(acme):
    client = acme.client()
    create_env(client)

    spaced = create_env(client, name="my env")
    duplicate = create_env(client)
    missing = client.post("/environments", json.dumps({"name": "x"}), content_type=JSON)

    assert spaced.status_code == 400
    assert spaced.json() == {"errors": {"name": ["cannot contain spaces"]}}
    assert duplicate.json() == {"errors": {"name": ["name 'prod' is already used by an existing environment."]}}
    assert missing.json() == {"errors": {"production": ["is missing"]}}


def test_environments_are_listed_filtered_updated_and_deleted(acme):
    client = acme.client()
    uuid = create_env(client, name="test", production=False).json()["uuid"]
    create_env(client, name="prod")

    listed = client.get("/environments").json()
    filtered = client.get("/environments?name=test").json()
    updated = client.put(
        f"/environments/{uuid}",
        json.dumps({"name": "test", "displayName": "QA", "production": False}),
        content_type=JSON,
    )
    deleted = client.delete(f"/environments/{uuid}")

    assert [e["name"] for e in listed["_embedded"]["environments"]] == ["prod", "test"]
    assert [link["name"] for link in listed["_links"]["pb:environments"]] == ["prod", "test"]
    assert [e["name"] for e in filtered["_embedded"]["environments"]] == ["test"]
    assert updated.status_code == 200 and updated.json()["displayName"] == "QA"
    assert deleted.status_code == 204
    assert client.get(f"/environments/{uuid}").status_code == 404
    assert (
        client.put("/environments/nope", json.dumps({"name": "x", "production": True}), content_type=JSON).status_code
        == 404
    )


def test_read_only_tokens_cannot_create_environments(acme):
    response = create_env(acme.client(token=acme.read_token))

    assert response.status_code == 403


def test_recording_a_deployment_ends_the_previous_one_of_the_same_instance(acme):
    client = acme.client()
    uuid = create_env(client).json()["uuid"]
    with schema_context(acme.schema):
        version_ensure("Foo", "1")
        version_ensure("Foo", "2")

    first = client.post(f"/pacticipants/Foo/versions/1/deployed-versions/environment/{uuid}", "", content_type=JSON)
    again = client.post(
        f"/pacticipants/Foo/versions/1/deployed-versions/environment/{uuid}", json.dumps({}), content_type=JSON
    )
    second = client.post(
        f"/pacticipants/Foo/versions/2/deployed-versions/environment/{uuid}", json.dumps({}), content_type=JSON
    )
    other_instance = client.post(
        f"/pacticipants/Foo/versions/1/deployed-versions/environment/{uuid}",
        json.dumps({"applicationInstance": "blue"}),
        content_type=JSON,
    )

    assert first.status_code == 201
    assert first["Location"] == first.json()["_links"]["self"]["href"]
    assert again.json()["uuid"] == first.json()["uuid"]  # already current: the existing record
    assert second.json()["currentlyDeployed"] is True
    assert other_instance.json()["applicationInstance"] == "blue"
    old = client.get(f"/deployed-versions/{first.json()['uuid']}").json()
    assert old["currentlyDeployed"] is False and "undeployedAt" in old
    current = client.get(f"/environments/{uuid}/deployed-versions/currently-deployed?pacticipant=Foo").json()
    assert sorted(d["_embedded"]["version"]["number"] for d in current["_embedded"]["deployedVersions"]) == ["1", "2"]
    default_instance = client.get(
        f"/environments/{uuid}/deployed-versions/currently-deployed?pacticipant=Foo&applicationInstance="
    ).json()
    assert [d["_embedded"]["version"]["number"] for d in default_instance["_embedded"]["deployedVersions"]] == ["2"]


def test_a_deployment_is_undeployed_by_merge_patch_and_cannot_be_set_back(acme):
    client = acme.client()
    uuid = create_env(client).json()["uuid"]
    with schema_context(acme.schema):
        version_ensure("Foo", "1")
    deployed = client.post(
        f"/pacticipants/Foo/versions/1/deployed-versions/environment/{uuid}", "", content_type=JSON
    ).json()
    href = f"/deployed-versions/{deployed['uuid']}"

    undeployed = client.patch(href, json.dumps({"currentlyDeployed": False}), content_type=MERGE_PATCH)
    again = client.patch(href, json.dumps({"currentlyDeployed": False}), content_type=MERGE_PATCH)
    back = client.patch(href, json.dumps({"currentlyDeployed": True}), content_type=MERGE_PATCH)

    assert undeployed.status_code == 200 and undeployed.json()["currentlyDeployed"] is False
    assert again.status_code == 200
    assert back.status_code == 422
    assert back.json() == {
        "errors": {
            "currentlyDeployed": [
                "The currentlyDeployed property cannot be set back to true. Please record a new deployment."
            ]
        }
    }
    current = client.get(f"/environments/{uuid}/deployed-versions/currently-deployed").json()
    assert current["_embedded"]["deployedVersions"] == []


def test_releases_are_201_when_new_200_when_existing_and_support_can_end(acme):
    client = acme.client()
    uuid = create_env(client).json()["uuid"]
    with schema_context(acme.schema):
        version_ensure("Foo", "1")
    path = f"/pacticipants/Foo/versions/1/released-versions/environment/{uuid}"

    new = client.post(path, "", content_type=JSON)
    ended = client.patch(
        f"/released-versions/{new.json()['uuid']}", json.dumps({"currentlySupported": False}), content_type=MERGE_PATCH
    )
    supported_after_end = client.get(f"/environments/{uuid}/released-versions/currently-supported").json()
    existing = client.post(path, "", content_type=JSON)
    supported = client.get(f"/environments/{uuid}/released-versions/currently-supported?pacticipant=Foo").json()

    assert new.status_code == 201
    assert ended.json()["currentlySupported"] is False and "supportEndedAt" in ended.json()
    assert supported_after_end["_embedded"]["releasedVersions"] == []
    assert existing.status_code == 200 and existing.json()["currentlySupported"] is True
    assert [r["_embedded"]["version"]["number"] for r in supported["_embedded"]["releasedVersions"]] == ["1"]


def test_deploying_an_unknown_version_or_to_an_unknown_environment_is_404(acme):
    client = acme.client()
    uuid = create_env(client).json()["uuid"]

    assert (
        client.post(
            f"/pacticipants/Foo/versions/1/deployed-versions/environment/{uuid}", "", content_type=JSON
        ).status_code
        == 404
    )
    with schema_context(acme.schema):
        version_ensure("Foo", "1")
    assert (
        client.post(
            "/pacticipants/Foo/versions/1/deployed-versions/environment/nope", "", content_type=JSON
        ).status_code
        == 404
    )


def test_version_links_for_environments_lists_record_and_current_links(acme):
    client = acme.client()
    prod = create_env(client).json()
    create_env(client, name="test", production=False)
    with schema_context(acme.schema):
        version = version_ensure("Foo", "1")
    client.post(f"/pacticipants/Foo/versions/1/deployed-versions/environment/{prod['uuid']}", "", content_type=JSON)
    request = RequestFactory().get("/", HTTP_HOST=acme.host)

    with schema_context(acme.schema):
        links = version_links_for_environments(request, version)

    assert [link["name"] for link in links["pb:record-deployment"]] == ["prod", "test"]
    assert links["pb:record-deployment"][0] == {
        "title": "Record deployment to Prod",
        "name": "prod",
        "href": f"http://{acme.host}/pacticipants/Foo/versions/1/deployed-versions/environment/{prod['uuid']}",
    }
    assert [link["name"] for link in links["pb:record-release"]] == ["prod", "test"]
    # each deployment of this version, as the broker links it (its resource, the display name)
    [deployed] = links["pb:deployed-environments"]
    assert deployed["title"] == "Version deployed to Prod" and deployed["name"] == "Prod"
    assert deployed["currently_deployed"] is True
    assert deployed["href"].startswith(f"http://{acme.host}/deployed-versions/")
    assert links["pb:released-environments"] == []


def test_a_tag_named_like_an_environment_records_an_auto_created_deployment(acme):
    create_env(acme.client())
    with schema_context(acme.schema):
        version = version_ensure("Foo", "1")
        deployed = deployed_version_for_tag(version, "prod")
        nothing = deployed_version_for_tag(version, "feature")
        assert deployed.auto_created is True and deployed.currently_deployed
        assert nothing is None
        assert DeployedVersion.objects.count() == 1


def test_environments_are_invisible_to_another_tenant(acme, outsider):
    uuid = create_env(acme.client()).json()["uuid"]

    assert outsider.client().get(f"/environments/{uuid}").status_code == 404
    assert outsider.client().get("/environments").json()["_embedded"]["environments"] == []
    assert acme.client().get("/environments", HTTP_HOST=outsider.host).status_code == 401
