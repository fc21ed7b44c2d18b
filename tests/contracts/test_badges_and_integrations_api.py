"""Pact badges (SVG) and /integrations."""

import pytest
from django_tenants.utils import schema_context

from apps.contracts.models import Pacticipant, PactVersion
from apps.verifications.models import Verification
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put, verification_post

BADGE = "/pacts/provider/Bar/consumer/Foo/latest/badge"


@pytest.fixture
def local_badges(settings):
    settings.BADGE_PROVIDER_MODE = "local"


def _badge(client, path=BADGE, **params):
    response = client.get(path, params)
    assert response["Content-Type"].startswith("image/svg+xml")
    return response.content.decode()


def test_by_default_a_badge_is_the_brokers_redirect_to_shields_io(acme, settings):
    contracts_post(acme.client(), contract(pact_fixture("foo-bar")), version="1", tags=["prod"])
    client = acme.client(HTTP_ACCEPT="image/svg+xml")

    response = client.get(BADGE)
    missing = client.get("/pacts/provider/Bar/consumer/Nope/latest/badge")
    settings.BADGE_SHIELDS_IO_BASE_URL = "https://shields.example/"
    own = client.get(BADGE, {"label": "consumer"})

    assert (response.status_code, response.content) == (307, b"")
    assert response["Location"] == "https://img.shields.io/badge/foo%2Fbar%20pact-unknown-lightgrey.svg"
    assert response["Content-Type"] == "image/svg+xml;charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert missing["Location"] == "https://img.shields.io/badge/pact%20not%20found-unknown-lightgrey.svg"
    assert own["Location"] == "https://shields.example/badge/foo%20pact-unknown-lightgrey.svg"


def test_a_badge_asked_for_as_hal_is_a_406_as_the_broker(acme):
    assert acme.client(HTTP_ACCEPT="application/hal+json").get(BADGE).status_code == 406


def test_the_badge_follows_the_verification_status(acme, settings, local_badges):
    client = acme.client()
    assert "pact not found: unknown" in _badge(client)

    pact_put(client, pact_fixture("foo-bar"), version="1")
    assert "foo/bar pact: unknown" in _badge(client)

    verification_post(client, client.get("/pacts/provider/Bar/consumer/Foo/latest").json(), success=False)
    assert "foo/bar pact: failed" in _badge(client)
    assert "#e05d44" in _badge(client)

    verification_post(client, client.get("/pacts/provider/Bar/consumer/Foo/latest").json(), success=True)
    assert "foo/bar pact: verified" in _badge(client, BADGE + ".svg")

    settings.BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION = True
    pact_put(client, pact_fixture("foo-bar-changed"), version="2")
    assert "foo/bar pact: changed" in _badge(client)


def test_badge_labels_initials_tags_and_untagged(acme, local_badges):
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")), version="1", tags=["prod"])

    assert "foo pact: unknown" in _badge(client, label="consumer")
    assert "bar pact: unknown" in _badge(client, label="provider")
    assert "pact not found" in _badge(client, "/pacts/provider/Bar/consumer/Foo/latest-untagged/badge")
    assert "foo/bar pact" in _badge(client, "/pacts/provider/Bar/consumer/Foo/latest/prod/badge")
    assert "pact not found" in _badge(client, "/pacts/provider/Bar/consumer/Foo/latest/dev/badge")


def test_badges_need_a_token_unless_public_badge_access_is_on(acme, settings, local_badges):
    pact_put(acme.client(), pact_fixture("foo-bar"))
    anonymous = acme.client(token="")

    assert anonymous.get(BADGE).status_code == 401
    settings.BROKER_ENABLE_PUBLIC_BADGE_ACCESS = True
    assert anonymous.get(BADGE).status_code == 200


def test_integrations_are_listed_filtered_and_paginated(acme):
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")), contract(pact_fixture("foo-baz"), provider="Baz"))

    everything = client.get("/integrations", HTTP_ACCEPT="application/hal+json").json()
    filtered = client.get("/integrations", {"q": "baz"}, HTTP_ACCEPT="application/hal+json").json()
    paged = client.get("/integrations", {"size": 1, "page": 2}, HTTP_ACCEPT="application/hal+json").json()

    assert len(everything["_embedded"]["integrations"]) == 2
    assert filtered["_embedded"]["integrations"][0]["provider"] == {"name": "Baz"}
    assert len(filtered["_embedded"]["integrations"]) == 1
    assert paged["page"] == {"number": 2, "size": 1, "totalElements": 2, "totalPages": 2}
    assert "previous" in paged["_links"] and "next" not in paged["_links"]
    assert everything["_embedded"]["integrations"][0]["_links"]["pb:delete_integration"]["href"].startswith(
        "http://acme.localhost/integrations/provider/"
    )
    assert client.get("/integrations", {"page": "0"}, HTTP_ACCEPT="application/hal+json").status_code == 400


def test_integrations_as_graphviz_dot(acme):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"))

    response = client.get("/integrations", HTTP_ACCEPT="text/vnd.graphviz")

    assert response["Content-Type"].startswith("text/vnd.graphviz")
    assert response.content.decode() == (
        "digraph { ranksep=3; ratio=auto; overlap=false; node [  shape = plaintext, fontname = Helvetica ];\n"
        "  Foo -> Bar\n}\n"
    )


def test_deleting_an_integration_removes_its_pacts_and_results_but_not_other_integrations(acme):
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")), contract(pact_fixture("foo-baz"), provider="Baz"))
    verification_post(client, client.get("/pacts/provider/Bar/consumer/Foo/latest").json())

    response = client.delete("/integrations/provider/Bar/consumer/Foo")

    assert response.status_code == 204
    assert client.get("/pacts/provider/Bar/consumer/Foo/latest").status_code == 404
    assert client.get("/pacts/provider/Baz/consumer/Foo/latest").status_code == 200
    with schema_context(acme.schema):
        assert Verification.objects.count() == 0
        assert sorted(Pacticipant.objects.values_list("name", flat=True)) == ["Baz", "Foo"]
    assert client.delete("/integrations/provider/Bar/consumer/Foo").status_code == 404


def test_deleting_all_integrations_empties_only_this_organisation(acme, outsider):
    contracts_post(acme.client(), contract(pact_fixture("foo-bar")))
    contracts_post(outsider.client(), contract(pact_fixture("foo-bar")))

    assert acme.client().delete("/integrations").status_code == 204

    with schema_context(acme.schema):
        assert Pacticipant.objects.count() == 0 and PactVersion.objects.count() == 0
    with schema_context(outsider.schema):
        assert Pacticipant.objects.count() == 2


def test_relationships_and_groups_are_the_brokers_network_csv(acme, outsider):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"), version="1")
    pact_put(client, {**pact_fixture("foo-bar"), "provider": {"name": "Baz"}}, provider="Baz", version="1")
    pact_put(
        client,
        {"consumer": {"name": "Lone"}, "provider": {"name": "Ly"}, "interactions": []},
        consumer="Lone",
        provider="Ly",
    )
    with schema_context(acme.schema):
        ids = dict(Pacticipant.objects.values_list("name", "pk"))
    foo, bar, baz = ids["Foo"], ids["Bar"], ids["Baz"]

    group = client.get("/groups/Bar", HTTP_ACCEPT="text/csv")
    assert group.status_code == 200
    assert group["Content-Type"] == "text/csv;charset=utf-8"
    assert group.content.decode() == f"{foo},Foo,1,1,0,1,{bar},{baz}\n{bar},Bar,1,1,0,2,0,0\n{baz},Baz,1,1,0,3,0,0\n"
    assert client.get("/groups/Bar.csv").content == group.content  # the extension stands for the Accept
    assert client.get("/groups/Bar", HTTP_ACCEPT="application/hal+json").status_code == 406
    relationships = client.get("/relationships", HTTP_ACCEPT="text/csv").content.decode()
    assert relationships.count("\n") == 5  # Foo, Bar, Baz, Lone, Ly
    missing = outsider.client().get("/groups/Bar", HTTP_ACCEPT="text/csv")
    assert missing.status_code == 404
    assert missing.json() == {"error": "No pacticipant with name 'Bar' found"}


def test_deleting_an_integration_asking_for_hal_is_a_406_that_deletes_nothing(acme, outsider):
    # The broker's integration resource produces no HAL: its 406 comes before the delete (and before
    # the 404 of a missing one), and the rolled-back request leaves everything in place.
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")))
    hal_client = acme.client(HTTP_ACCEPT="application/hal+json")

    refused = hal_client.delete("/integrations/provider/Bar/consumer/Foo")
    missing = hal_client.delete("/integrations/provider/Bar/consumer/Nope")

    assert (refused.status_code, refused.content) == (406, b"")
    assert (missing.status_code, missing.content) == (406, b"")
    assert client.get("/pacts/provider/Bar/consumer/Foo/latest").status_code == 200
    assert outsider.client().delete("/integrations/provider/Bar/consumer/Foo").status_code == 404
    assert client.delete("/integrations/provider/Bar/consumer/Foo", HTTP_ACCEPT="*/*").status_code == 204
