"""Verification results (shared reference §2.8, §4)."""

import json

from django_tenants.utils import schema_context

from apps.contracts.models import Version
from apps.contracts.services.versions import version_tag_create
from apps.verifications import events
from apps.verifications.models import LatestVerification, SuccessfulVerificationForProviderTag, Verification
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put, verification_post

BASE = "/pacts/provider/Bar/consumer/Foo"


def _pact(org, version="1"):
    client = org.client()
    pact_put(client, pact_fixture("foo-bar"), version=version)
    return client, client.get(f"{BASE}/latest").json()


def test_publishing_a_result_creates_the_provider_version_and_answers_201_with_location(acme):
    client, pact = _pact(acme)
    interaction_id = pact["interactions"][0]["_id"]

    response = verification_post(
        client,
        pact,
        buildUrl="https://ci.example/9",
        testResults=[{"interactionId": interaction_id, "success": True}],
        verifiedBy={"implementation": "Pact-Rust", "version": "1.2.3"},
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == body["_links"]["self"]["href"]
    assert body["providerName"] == "Bar" and body["providerApplicationVersion"] == "2.0.0"
    assert body["success"] is True and body["buildUrl"] == "https://ci.example/9"
    assert body["verifiedBy"] == {"implementation": "Pact-Rust", "version": "1.2.3"}
    assert body["_links"]["self"]["name"].endswith("for Pact between Foo (1) and Bar")
    with schema_context(acme.schema):
        verification = Verification.objects.get()
        assert verification.provider_version.number == "2.0.0"
        assert LatestVerification.objects.get().verification_id == verification.pk
    assert client.get(body["_links"]["self"]["href"]).json() == body


def test_the_latest_result_wins_for_the_same_provider_version_and_numbers_are_global(acme):
    client, pact = _pact(acme)
    first = verification_post(client, pact, success=False).json()
    second = verification_post(client, pact, success=True).json()

    latest = client.get(f"{BASE}/latest/verification-results/latest").json()

    assert int(second["_links"]["self"]["href"].rsplit("/", 1)[1]) > int(
        first["_links"]["self"]["href"].rsplit("/", 1)[1]
    )
    assert latest["success"] is True
    with schema_context(acme.schema):
        assert LatestVerification.objects.count() == 1


def test_the_provider_version_tags_are_snapshotted_and_successes_recorded_per_tag(acme):
    client, pact = _pact(acme)
    with schema_context(acme.schema):
        version_tag_create(pacticipant_name="Bar", number="2.0.0", tag_name="main")

    verification_post(client, pact)

    with schema_context(acme.schema):
        assert Verification.objects.get().tag_names == ["main"]
        assert SuccessfulVerificationForProviderTag.objects.get().provider_version_tag_name == "main"


def test_all_latest_routes_find_the_result(acme):
    client, pact = _pact(acme)
    contracts_post(client, contract(pact_fixture("foo-bar")), version="2", tags=["prod"])
    verification_post(client, pact)
    sha = pact["_links"]["pb:pact-version"]["name"]

    for path in (
        f"{BASE}/pact-version/{sha}/verification-results/latest",
        f"{BASE}/version/1/verification-results/latest",
        f"{BASE}/latest/verification-results/latest",
        f"{BASE}/latest/prod/verification-results/latest",
        pact["_links"]["pb:latest-verification-results"]["href"],
    ):
        assert client.get(path).json()["providerApplicationVersion"] == "2.0.0", path


def test_latest_results_for_a_consumer_version_summarise_each_provider(acme):
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")), contract(pact_fixture("foo-baz"), provider="Baz"))
    verification_post(client, client.get(f"{BASE}/latest").json(), success=False)

    body = client.get("/verification-results/consumer/Foo/version/1.0.0/latest").json()

    assert body["success"] is False
    assert body["providerSummary"] == {"successful": [], "failed": ["Bar"], "unknown": ["Baz"]}
    assert len(body["_embedded"]["verificationResults"]) == 1
    assert client.get("/verification-results/consumer/Foo/version/9/latest").status_code == 404


def test_invalid_results_are_400_and_nothing_is_written(acme):
    client, pact = _pact(acme)
    href = pact["_links"]["pb:publish-verification-results"]["href"]

    response = client.post(
        href,
        data=json.dumps({"success": "yes", "providerApplicationVersion": " ", "buildUrl": "not a url"}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "success": ["must be boolean"],
        "providerApplicationVersion": ["must be filled"],
        "buildUrl": ["is not a valid URL eg. http://example.org"],
    }
    with schema_context(acme.schema):
        assert Verification.objects.count() == 0
        assert not Version.objects.filter(pacticipant__name="Bar").exists()


def test_results_for_unknown_content_are_404(acme):
    client, _ = _pact(acme)

    response = client.post(
        f"{BASE}/pact-version/{'0' * 40}/verification-results",
        data=json.dumps({"success": True, "providerApplicationVersion": "1"}),
        content_type="application/json",
    )

    assert response.status_code == 404
    assert client.get(f"{BASE}/pact-version/{'0' * 40}/verification-results/1").status_code == 404


def test_the_published_hook_names_the_consumer_version_from_the_url_metadata(acme, django_capture_on_commit_callbacks):
    client, pact = _pact(acme)
    received = []

    def listener(sender, event, **kwargs):
        received.append(event)

    events.verification_published_signal.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = verification_post(client, pact)
    finally:
        events.verification_published_signal.disconnect(listener)

    assert response.status_code == 201
    assert received[0].consumer_version_numbers == ("1",)
    assert received[0].success is True and received[0].provider_version_number == "2.0.0"


def test_a_read_only_token_cannot_publish_results_and_an_outsider_cannot_see_them(acme, outsider):
    client, pact = _pact(acme)
    verification_post(client, pact)
    href = pact["_links"]["pb:publish-verification-results"]["href"]

    refused = acme.client(token=acme.read_token).post(
        href, data=json.dumps({"success": True, "providerApplicationVersion": "3"}), content_type="application/json"
    )

    assert refused.status_code == 403
    assert outsider.client().get(f"{BASE}/latest/verification-results/latest").status_code == 404


def test_a_result_asked_for_as_extended_json_sends_to_the_hal_browser_and_verified_by_defaults_to_empty(acme):
    client, pact = _pact(acme)
    body = verification_post(client, pact).json()
    path = body["_links"]["self"]["href"].split("://", 1)[1].split("/", 1)[1]

    extended = acme.client(HTTP_ACCEPT="application/vnd.pactbrokerextended.v1+json").get(f"/{path}")

    assert body["verifiedBy"] == {}
    assert (extended.status_code, extended.content) == (302, b"")
    assert extended["Location"] == f"/hal-browser/browser.html#/{path}"
    assert extended["Content-Type"] == "text/html;charset=utf-8"
