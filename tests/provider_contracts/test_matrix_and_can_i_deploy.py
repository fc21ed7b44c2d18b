"""A comparison result is a matrix row between the consumer and the provider version: can-i-deploy,
/matrix, badges and the verification resources count it like a verification, and say it came from a
cross-contract comparison. A provider may mix Pact verification and provider contracts."""

import json

import pytest

from apps.provider_contracts import queueing
from tests.provider_contracts.support import (
    pact_publish_via_api,
    pets_pact,
    provider_contract_post,
    publish_body,
)
from tests.support.pacts import verification_post

BASE = "http://acme.localhost"


@pytest.fixture
def published(acme, monkeypatch, django_capture_on_commit_callbacks):
    """Web 1 (compatible) and Mobile 1 (has a field the description lacks) against Pets 1's contract;
    Legacy 1 verified by Pets 1 with Pact."""
    monkeypatch.setattr(queueing, "queue_or_run", queueing.task_run)
    client = acme.client()
    with django_capture_on_commit_callbacks(execute=True):
        pact_publish_via_api(client, pets_pact("Web"), consumer="Web", version="1")
    with django_capture_on_commit_callbacks(execute=True):
        pact_publish_via_api(client, pets_pact("Mobile", colour=True), consumer="Mobile", version="1")
    with django_capture_on_commit_callbacks(execute=True):
        provider_contract_post(client, publish_body(version="1", branch="main", tags=("prod",)))
    legacy = {
        "consumer": {"name": "Legacy"},
        "provider": {"name": "Pets"},
        "interactions": [
            {"description": "anything", "request": {"method": "GET", "path": "/odd"}, "response": {"status": 204}}
        ],
    }
    pact_publish_via_api(client, legacy, consumer="Legacy", version="1")
    pact = client.get("/pacts/provider/Pets/consumer/Legacy/latest").json()
    verification_post(client, pact, provider_version="1")
    return client


def _can_i_deploy(client, pacticipant, version):
    return client.get(
        f"/can-i-deploy?pacticipant={pacticipant}&version={version}&to=prod", HTTP_ACCEPT="application/hal+json"
    ).json()


def test_a_compatible_pact_can_be_deployed_and_the_reason_names_the_comparison(published):
    body = _can_i_deploy(published, "Web", "1")

    assert body["summary"]["deployable"] is True
    assert body["summary"]["reason"] == (
        "All required verification results are published and successful\n"
        "The pact between version 1 of Web and the latest version of Pets with tag prod (1) was verified by a "
        "cross-contract comparison with the provider contract"
    )
    row = body["matrix"][0]
    assert row["verificationResult"]["success"] is True
    assert row["verificationResult"]["_links"]["self"]["href"].startswith(
        BASE + "/contracts/provider/Pets/version/1/consumer/Web/pact-version/"
    )


def test_an_incompatible_pact_cannot_and_the_reason_carries_the_mismatch(published):
    body = _can_i_deploy(published, "Mobile", "1")

    assert body["summary"]["deployable"] is False
    reason = body["summary"]["reason"]
    assert reason.startswith(
        "The cross-contract comparison of the pact between version 1 of Mobile and the latest version of Pets "
        "with tag prod (1) failed: the pact is not "
        "compatible with Pets's provider contract (1 mismatch: interaction 'a request for pet 1': The response "
        "body has 'colour', which the provider's schema does not document"
    )


def test_a_provider_mixes_pact_verification_and_provider_contract(published):
    body = published.get(
        "/matrix?q[][pacticipant]=Pets&q[][version]=1&latestby=cvpv", HTTP_ACCEPT="application/hal+json"
    ).json()

    rows = {(r["consumer"]["name"], r["verificationResult"]["success"]) for r in body["matrix"]}
    assert rows == {("Web", True), ("Mobile", False), ("Legacy", True)}
    links = {r["consumer"]["name"]: r["verificationResult"]["_links"]["self"]["href"] for r in body["matrix"]}
    assert "/pacts/provider/Pets/consumer/Legacy/pact-version/" in links["Legacy"]
    assert body["summary"]["deployable"] is False


def test_the_matrix_and_its_text_show_the_comparison_rows(published):
    matrix = published.get(
        "/matrix?q[][pacticipant]=Web&q[][pacticipant]=Pets&latestby=cvpv", HTTP_ACCEPT="application/hal+json"
    ).json()
    text = published.get(
        "/matrix?q[][pacticipant]=Mobile&q[][pacticipant]=Pets&latestby=cvpv", HTTP_ACCEPT="text/plain"
    ).content.decode()

    assert [
        (r["consumer"]["version"]["number"], r["provider"]["version"]["number"], r["verificationResult"]["success"])
        for r in matrix["matrix"]
    ] == [("1", "1", True)]
    assert "Deployable: false" in text
    assert "cross-contract comparison" in text


def test_the_verification_resources_and_badges_count_the_comparison(published, acme, settings):
    settings.BADGE_PROVIDER_MODE = "local"  # drawn here (the default redirects to shields.io, as the broker)
    latest = published.get(
        "/verification-results/consumer/Mobile/version/1/latest", HTTP_ACCEPT="application/hal+json"
    ).json()
    badge = published.get("/pacts/provider/Pets/consumer/Web/latest/badge")

    assert latest["providerSummary"] == {"successful": [], "failed": ["Pets"], "unknown": []}
    assert latest["_embedded"]["verificationResults"][0]["verifiedBy"] == {
        "implementation": "contract-broker cross-contract comparison",
        "version": "1",
    }
    assert badge.status_code == 200
    assert "verified" in badge.content.decode()


def test_a_comparison_result_fires_the_verification_webhook_event(
    acme, monkeypatch, django_capture_on_commit_callbacks
):
    from apps.verifications import events

    monkeypatch.setattr(queueing, "queue_or_run", queueing.task_run)
    received = []

    def listener(sender, event, **kwargs):
        received.append(event)

    client = acme.client()
    with django_capture_on_commit_callbacks(execute=True):
        pact_publish_via_api(client, pets_pact("Web"), consumer="Web")
    events.verification_published_signal.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            provider_contract_post(client, publish_body(version="1"))
    finally:
        events.verification_published_signal.disconnect(listener)

    assert [(e.consumer_name, e.provider_version_number, e.success) for e in received] == [("Web", "1", True)]
    json.dumps([e.__dict__ for e in received], default=str)
