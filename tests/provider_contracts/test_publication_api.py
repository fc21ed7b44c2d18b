"""Publishing provider contracts as PactFlow does (the official client's shapes), reading, listing
and deleting them."""

import json

from django_tenants.utils import schema_context

from apps.contracts.models import BranchHead, Tag, Version
from apps.provider_contracts.models import ProviderContractPublication, ProviderContractVersion
from tests.provider_contracts.support import PETS_OPENAPI, b64, provider_contract_post, publish_body

BASE = "http://acme.localhost"


def test_the_index_advertises_the_publish_relation_the_cli_looks_for(acme):
    links = acme.client().get("/", HTTP_ACCEPT="application/hal+json").json()["_links"]

    assert links["pf:publish-provider-contract"] == {
        "href": BASE + "/provider-contracts/provider/{provider}/publish",
        "title": "Publish provider contract",
        "templated": True,
    }


def test_publishing_answers_200_with_the_version_branch_and_tag_links_and_notices(acme):
    response = provider_contract_post(acme.client(), publish_body())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/hal+json")
    body = response.json()
    assert body["_embedded"]["version"]["number"] == "1.0.0"
    assert body["_links"]["pb:pacticipant-version-tags"] == [
        {"href": BASE + "/pacticipants/Pets/versions/1.0.0/tags/dev", "title": "Tag", "name": "dev"}
    ]
    assert body["_links"]["pb:branch-version"]["href"] == BASE + "/pacticipants/Pets/branches/main/versions/1.0.0"
    assert body["_links"]["pf:ui"]["href"] == BASE + "/ui/provider-contracts/provider/Pets/version/1.0.0"
    texts = [n["text"] for n in body["notices"]]
    assert texts[0] == "Created Pets version 1.0.0 with branch main and tags dev"
    assert texts[1] == "Successfully published provider contract for Pets version 1.0.0"
    assert (
        "No consumer has published a pact with Pets yet; each one will be compared with this contract when it does"
    ) in texts
    ui = f"{BASE}/ui/provider-contracts/provider/Pets/version/1.0.0"
    assert f"View the provider contract and its comparisons at {ui}" in texts
    with schema_context(acme.schema):
        version = Version.objects.get(pacticipant__name="Pets", number="1.0.0")
        assert version.build_url == "http://build/1"
        assert BranchHead.objects.get(branch_name="main").version_id == version.pk
        assert list(Tag.objects.filter(version=version).values_list("name", flat=True)) == ["dev"]
        publication = ProviderContractPublication.objects.get()
        assert publication.self_verification_success is True
        assert publication.self_verification_content == "2 passing"
        assert publication.verifier == "schemathesis"
        assert publication.contract_version.content == PETS_OPENAPI


def test_identical_content_is_stored_once_whatever_the_number_of_versions(acme):
    client = acme.client()
    provider_contract_post(client, publish_body(version="1"))
    provider_contract_post(client, publish_body(version="2"))
    provider_contract_post(client, publish_body(version="2"))  # re-published: a new publication, same content

    with schema_context(acme.schema):
        assert ProviderContractVersion.objects.count() == 1
        assert ProviderContractPublication.objects.count() == 3


def test_any_content_is_accepted_and_left_to_the_comparison_to_judge(acme):
    response = provider_contract_post(acme.client(), publish_body(content="this is : not [ an OpenAPI document"))

    assert response.status_code == 200


def test_a_malformed_request_is_a_400_naming_each_field_and_writes_nothing(acme):
    body = publish_body()
    del body["pacticipantVersionNumber"]
    body["contract"]["content"] = "not base64!"
    body["contract"]["specification"] = "graphql"
    body["contract"]["selfVerificationResults"]["success"] = "yes"

    # Accept without application/problem+json: the broker's HAL error body (with it, a problem document)
    response = acme.client().post(
        "/provider-contracts/provider/Pets/publish",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/hal+json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "pacticipantVersionNumber": ["is missing"],
        "contract.specification": ["must be one of: oas"],
        "contract.selfVerificationResults.success": ["must be a boolean"],
        "contract.content": ["is not valid Base64"],
    }
    with schema_context(acme.schema):
        assert not Version.objects.exists()


def test_the_older_put_answers_201_with_a_ui_link_and_the_contract_reads_back(acme):
    client = acme.client()
    body = {
        "content": b64(PETS_OPENAPI),
        "contractType": "oas",
        "contentType": "application/yaml",
        "verificationResults": {
            "success": False,
            "content": b64("1 failing"),
            "contentType": "text/plain",
            "format": "text",
            "verifier": "dredd",
            "verifierVersion": "14",
        },
    }

    created = client.put(
        "/contracts/provider/Pets/version/7",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/hal+json",
    )
    read = client.get("/contracts/provider/Pets/version/7", HTTP_ACCEPT="application/hal+json")

    assert created.status_code == 201
    assert created.json()["_links"]["pf:ui"]["href"] == BASE + "/ui/provider-contracts/provider/Pets/version/7"
    assert read.status_code == 200
    contract = read.json()
    assert contract["content"] == PETS_OPENAPI
    assert contract["contentType"] == "application/yaml"
    assert contract["specification"] == "oas"
    assert contract["selfVerificationResults"] == {
        "success": False,
        "content": b64("1 failing"),
        "contentType": "text/plain",
        "format": "text",
        "verifier": "dredd",
        "verifierVersion": "14",
    }
    part = client.get("/contracts/bi-directional/provider/Pets/version/7/provider-contract-verification-results")
    assert part.json()["success"] is False


def test_provider_contracts_are_listed_per_version_newest_first_and_deleted_per_version(acme):
    client = acme.client()
    provider_contract_post(client, publish_body(version="1"))
    provider_contract_post(client, publish_body(version="2", success=False))

    listed = client.get("/provider-contracts/provider/Pets", HTTP_ACCEPT="application/hal+json").json()
    deleted = client.delete("/contracts/provider/Pets/version/1")
    gone = client.get("/contracts/provider/Pets/version/1")

    items = listed["_embedded"]["providerContracts"]
    assert [(i["providerVersionNumber"], i["selfVerificationResults"]["success"]) for i in items] == [
        ("2", False),
        ("1", True),
    ]
    assert "content" not in items[0]
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert client.delete("/contracts/provider/Pets/version/1").status_code == 404


def test_a_read_only_token_cannot_publish_or_delete_and_an_outsider_sees_nothing(acme, outsider):
    provider_contract_post(acme.client(), publish_body(version="1"))
    read_only = acme.client(token=acme.read_token)

    assert provider_contract_post(read_only, publish_body(version="2")).status_code == 403
    assert read_only.delete("/contracts/provider/Pets/version/1").status_code == 403
    assert read_only.get("/contracts/provider/Pets/version/1").status_code == 200
    assert outsider.client().get("/contracts/provider/Pets/version/1").status_code == 404
    assert acme.client(token="").get("/contracts/provider/Pets/version/1").status_code == 401
