"""Bi-directional contract testing with the official Pact CLI, end to end: a live server and a real
Celery worker doing the comparisons.

A consumer publishes a pact; the provider publishes its OpenAPI description with
`pact pactflow publish-provider-contract`; can-i-deploy says yes. The consumer then expects a field
the description lacks: no, with the mismatch in the reason. The provider documents the field: yes.
"""

import json

import pytest

from tests.provider_contracts.support import PETS_OPENAPI, PETS_OPENAPI_WITH_COLOUR, pets_pact

pytestmark = pytest.mark.e2e


@pytest.fixture
def comparison_worker(transactional_db):
    """A real Celery worker (given two minutes to start: the shared machine is often busy)."""
    from tests.support.celery_workers import Worker, broker_flush

    broker_flush()
    worker = Worker("bdct").start(wait=False)
    try:
        worker.wait_ready(timeout=120)
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def files(tmp_path):
    def write(name: str, content) -> str:
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def _publish_pact(pact_cli, files, version: str, *, colour: bool):
    pact = files(f"web-pets-{version}.json", pets_pact("Web", "Pets", colour=colour))
    pact_cli.broker("publish", pact, "--consumer-app-version", version, "--branch", "main", check=True)


def _publish_contract(pact_cli, files, version: str, openapi: str):
    return pact_cli.run(
        "pactflow",
        "publish-provider-contract",
        files(f"openapi-{version}.yaml", openapi),
        "--provider",
        "Pets",
        "--provider-app-version",
        version,
        "--branch",
        "main",
        "--content-type",
        "application/yaml",
        "--verification-success",
        "--verification-results",
        files("results.txt", "12 passing"),
        "--verification-results-content-type",
        "text/plain",
        "--verification-results-format",
        "text",
        "--verifier",
        "schemathesis",
        check=True,
    )


def _can_i_deploy(pact_cli, consumer_version: str, provider_version: str):
    # The comparison runs in the worker just after publication: unknown until it is done.
    return pact_cli.broker(
        "can-i-deploy",
        "--pacticipant",
        "Web",
        "--version",
        consumer_version,
        "--pacticipant",
        "Pets",
        "--version",
        provider_version,
        "--retry-while-unknown",
        "30",
        "--retry-interval",
        "1",
    )


def test_a_provider_contract_published_with_the_cli_decides_can_i_deploy(pact_cli, comparison_worker, files):
    _publish_pact(pact_cli, files, "1", colour=False)
    published = _publish_contract(pact_cli, files, "1", PETS_OPENAPI)

    assert "Successfully published provider contract for Pets version 1" in published.stdout + published.stderr
    yes = _can_i_deploy(pact_cli, "1", "1")
    assert yes.returncode == 0, yes.stdout + yes.stderr
    assert "Computer says yes" in yes.stdout
    assert "verified by a cross-contract comparison" in yes.stdout

    _publish_pact(pact_cli, files, "2", colour=True)
    no = _can_i_deploy(pact_cli, "2", "1")
    assert no.returncode == 1, no.stdout + no.stderr
    assert "Computer says no" in no.stdout
    assert (
        "The cross-contract comparison of the pact between version 2 of Web and version 1 of Pets failed: "
        "the pact is not compatible with Pets's provider contract"
    ) in no.stdout
    assert "The response body has 'colour', which the provider's schema does not document" in no.stdout

    _publish_contract(pact_cli, files, "2", PETS_OPENAPI_WITH_COLOUR)
    fixed = _can_i_deploy(pact_cli, "2", "2")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Computer says yes" in fixed.stdout
