"""Comparisons run when either side is published, once per pair of contents, and are recorded as
verification results (compatible only when the pact fits the contract and the self-verification passed).

The Celery task is run in-process here (tests/e2e/test_bdct_cli.py runs it in a real worker)."""

import pytest
from django_tenants.utils import schema_context

from apps.provider_contracts import queueing, tasks
from apps.provider_contracts.models import Comparison, ComparisonVerification
from apps.verifications.models import Verification
from tests.provider_contracts.support import (
    PETS_OPENAPI,
    PETS_OPENAPI_WITH_COLOUR,
    pact_publish_via_api,
    pets_pact,
    provider_contract_post,
    publish_body,
)


@pytest.fixture
def run_tasks_here(monkeypatch, django_capture_on_commit_callbacks):
    """Publications' after-commit hooks run, and the tasks they queue run in this process."""
    monkeypatch.setattr(queueing, "queue_or_run", queueing.task_run)

    def publish(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = call(*args, **kwargs)
        assert response.status_code == 200, response.content
        return response

    return publish


def _results(org):
    with schema_context(org.schema):
        return sorted(
            (v.consumer.name, v.provider_version.number, v.success)
            for v in Verification.objects.select_related("consumer", "provider_version")
        )


def test_publishing_a_contract_compares_it_with_the_consumers_pacts(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web"), consumer="Web")
    run_tasks_here(pact_publish_via_api, client, pets_pact("Mobile", colour=True), consumer="Mobile")

    response = run_tasks_here(provider_contract_post, client, publish_body(version="1"))

    assert "The contract will be compared with the pacts of 2 consumers: Mobile, Web" in [
        n["text"] for n in response.json()["notices"]
    ]
    assert _results(acme) == [("Mobile", "1", False), ("Web", "1", True)]
    with schema_context(acme.schema):
        reasons = dict(ComparisonVerification.objects.values_list("pact_version__consumer__name", "reason"))
        assert verified_by(acme) == {"contract-broker cross-contract comparison"}
    assert reasons["Web"] == "the pact is compatible with Pets's provider contract and its self-verification succeeded"
    assert reasons["Mobile"].startswith(
        "the pact is not compatible with Pets's provider contract (1 mismatch: interaction 'a request for pet 1': "
        "The response body has 'colour', which the provider's schema does not document"
    )


def verified_by(org):
    return set(Verification.objects.values_list("verified_by_implementation", flat=True))


def test_publishing_a_pact_compares_it_with_the_providers_contracts(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(provider_contract_post, client, publish_body(version="1"))

    run_tasks_here(pact_publish_via_api, client, pets_pact("Web", colour=True), consumer="Web", version="2")

    assert _results(acme) == [("Web", "1", False)]


def test_each_pair_of_contents_is_compared_once(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web"), consumer="Web", version="1")
    run_tasks_here(provider_contract_post, client, publish_body(version="1"))
    run_tasks_here(provider_contract_post, client, publish_body(version="2"))
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web"), consumer="Web", version="2")  # same content

    with schema_context(acme.schema):
        assert Comparison.objects.count() == 1
    assert _results(acme) == [("Web", "1", True), ("Web", "2", True)]


def test_a_failed_self_verification_fails_a_compatible_pact(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web"), consumer="Web")

    run_tasks_here(provider_contract_post, client, publish_body(version="1", success=False))

    assert _results(acme) == [("Web", "1", False)]
    with schema_context(acme.schema):
        assert ComparisonVerification.objects.get().reason == "Pets's self-verification of its provider contract failed"


def test_a_fixed_description_makes_the_pact_compatible_again(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web", colour=True), consumer="Web")
    run_tasks_here(provider_contract_post, client, publish_body(version="1"))

    run_tasks_here(provider_contract_post, client, publish_body(version="2", content=PETS_OPENAPI_WITH_COLOUR))

    assert _results(acme) == [("Web", "1", False), ("Web", "2", True)]


def test_an_unreadable_description_is_published_and_fails_every_comparison(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web"), consumer="Web")

    run_tasks_here(provider_contract_post, client, publish_body(version="1", content="{not: [openapi"))

    assert _results(acme) == [("Web", "1", False)]


def test_the_cross_contract_results_resource_shows_the_mismatches(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web", colour=True), consumer="Web")
    run_tasks_here(provider_contract_post, client, publish_body(version="1"))
    with schema_context(acme.schema):
        sha = ComparisonVerification.objects.get().pact_version.sha

    response = client.get(
        f"/contracts/provider/Pets/version/1/consumer/Web/pact-version/{sha}/verification-results",
        HTTP_ACCEPT="application/hal+json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["summary"]["success"] is False
    assert body["summary"]["source"] == "cross-contract comparison"
    cross = body["crossContractVerificationResults"]
    assert cross["success"] is False
    assert [e["code"] for e in cross["results"]["errors"]] == ["response.body.incompatible"]
    assert cross["results"]["errors"][0]["specPath"] == "/pets/{id}"
    assert cross["results"]["errors"][0]["pactLocation"] == "interactions[0].response.body"
    assert body["providerContractVerificationResults"]["success"] is True
    other = f"/contracts/provider/Pets/version/9/consumer/Web/pact-version/{sha}/verification-results"
    assert client.get(other).status_code == 404


def test_deleting_a_contract_removes_the_results_of_its_comparisons(acme, run_tasks_here):
    client = acme.client()
    run_tasks_here(pact_publish_via_api, client, pets_pact("Web"), consumer="Web")
    run_tasks_here(provider_contract_post, client, publish_body(version="1"))

    assert client.delete("/contracts/provider/Pets/version/1").status_code == 204

    assert _results(acme) == []


def test_the_content_stays_the_same_text_that_was_published(acme):
    provider_contract_post(acme.client(), publish_body(version="1"))

    body = acme.client().get("/contracts/bi-directional/provider/Pets/version/1/provider-contract").json()

    assert body["content"] == PETS_OPENAPI


def test_many_consumers_are_spread_over_tasks_and_the_description_is_checked_once(acme, run_tasks_here, monkeypatch):
    from apps.provider_contracts.models import ProviderContractVersion

    monkeypatch.setattr(tasks, "PACTS_PER_TASK", 1)
    client = acme.client()
    for consumer in ("Web", "Mobile", "Kiosk"):
        run_tasks_here(pact_publish_via_api, client, pets_pact(consumer), consumer=consumer)
    invalid = PETS_OPENAPI.replace('info: {title: pets, version: "1"}', "info: {title: pets}")  # no info.version

    run_tasks_here(provider_contract_post, client, publish_body(version="1", content=invalid))

    assert _results(acme) == [("Kiosk", "1", True), ("Mobile", "1", True), ("Web", "1", True)]
    with schema_context(acme.schema):
        assert ProviderContractVersion.objects.get().problems
        codes = {tuple(m["code"] for m in c.results["mismatches"]) for c in Comparison.objects.all()}
    assert codes == {("spec.invalid",)}
