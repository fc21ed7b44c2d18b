"""Query budgets of the hot write and read paths: pinned, and independent of the data volume.

Each budget counts every statement of the HTTP request except `SET search_path` (token lookup and
savepoints included). The test runs the same request on a small and on a larger history (after a
warm-up that creates the pacticipants) and requires the same count.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.contracts.services.contracts import ContractToPublish, contracts_publish
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put, verification_post

PROVIDERS = ["Bar", "Baz", "Qux", "Quux"]
# Token lookup (with the user's roles) + (writes) the organisation's billing standing and the plan's
# integration check + data statements. contracts_publish_4: 9 data statements for 4 pacts
# (pacticipants, version, branch, tags, pact versions, publications, latest rows, integrations,
# "verified yet?" for the notices); verification_post: 3 (the content with the pact's naming
# version, the provider version with its tags, one statement writing the result, its latest and
# per-tag rows and the integration); latest_pact_get: token + one SELECT. Measured once the
# integrations exist (a first publish of new integrations adds the plan's lock and count: +2).
# Publishing (contracts_publish_4, pact_put) also runs the potential duplicate pacticipant name check
# (apps/contracts/duplicate_names.py): one SELECT, before the publish service.
# Each publication and verification also writes its webhook event (the outbox row, in the same
# transaction: apps/webhooks/receivers.py): one INSERT per pact published, one per verification.
# Each write request also records its audit entries (apps/accounts/audit.py), in the same transaction
# so that an entry exists exactly when its change does: one INSERT for all of them (the version, its
# branch and tags, every pact), whatever their number: +1 on each write path.
# Each write checks the caller's team scope on the applications it touches (apps/contracts/access.py,
# PactFlow's contract_data:manage:team/own): their teams and their creators, two SELECTs for all of
# them: +2 on each write path.
# /contracts/publish names the events each pact raises and why ("Events detected": the consumer
# version's tags, then the latest earlier pact per provider and tag, apps/contracts/queries/
# content_changes.py): +2 whatever the number of pacts and tags.
BUDGET = {"contracts_publish_4": 22, "pact_put": 15, "verification_post": 9, "latest_pact_get": 2}


def _docs(version: str):
    docs = []
    for provider in PROVIDERS:
        doc = pact_fixture("foo-bar")
        doc["provider"]["name"] = provider
        doc["interactions"][0]["description"] += f" v{version}"  # new content each version
        docs.append(doc)
    return docs


def _history(org, versions: int):
    """A larger history, written through the service (fast) rather than HTTP."""
    with schema_context(org.schema):
        for number in range(versions):
            contracts_publish(
                pacticipant_name="Foo",
                version_number=f"h{number}",
                branch="main",
                tags=["dev"],
                contracts=[ContractToPublish("Foo", p, d) for p, d in zip(PROVIDERS, _docs(str(number)), strict=True)],
                pact_url=lambda *a: "",
            )


def _count(request, status: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = request()
    assert response.status_code == status, response.content
    # Savepoints are the test's own transaction nesting (a real request has BEGIN/COMMIT, not counted).
    skipped = ("SET search_path", "SAVEPOINT", "RELEASE SAVEPOINT")
    return len([q for q in captured.captured_queries if not q["sql"].startswith(skipped)])


@pytest.mark.parametrize("name", list(BUDGET))
def test_the_number_of_statements_is_pinned_and_does_not_grow_with_history(acme, name):
    client = acme.client()
    client.get("/pacts/latest")  # warm the tenant routing cache

    def run(tag: str) -> int:
        if name == "contracts_publish_4":
            return _count(
                lambda: contracts_post(
                    client,
                    *[contract(d, provider=p) for p, d in zip(PROVIDERS, _docs(tag), strict=True)],
                    version=f"v{tag}",
                    branch="main",
                    tags=["dev", "prod"],
                ),
                200,
            )
        if name == "pact_put":
            doc = pact_fixture("foo-bar")
            doc["interactions"][0]["description"] += tag
            return _count(lambda: pact_put(client, doc, version=f"p{tag}"), 201)
        pact_put(client, pact_fixture("foo-bar"), version=f"r{tag}")
        pact = client.get("/pacts/provider/Bar/consumer/Foo/latest").json()
        if name == "verification_post":
            return _count(lambda: verification_post(client, pact, provider_version=f"pv{tag}"), 201)
        return _count(lambda: client.get("/pacts/provider/Bar/consumer/Foo/latest"), 200)

    run("warm-up")  # creates the pacticipants and the first tags, which only happens once
    small = run("a")
    _history(acme, 30)
    large = run("b")

    assert small == large, f"{name}: {small} statements on a small history, {large} on a larger one"
    assert large == BUDGET[name], f"{name}: {large} statements, pinned at {BUDGET[name]}"
