"""Scale-out: two web processes and two Celery workers on one PostgreSQL and one Redis.

Twenty organisations, each with a webhook on contract and verification events pointing at a local
receiver. Sixteen CI clients publish pacts and verification results for SCALE_OUT_SECONDS (a minute by
default), spread over the organisations and over both web processes. A third of the way in, one worker
is killed with SIGKILL (its in-flight deliveries are taken over through the leases and the sweeper of
the other, which runs beat). Afterwards every publication and verification a client was told succeeded
is in its organisation exactly once, every webhook event raised was delivered, and no delivery is
recorded twice (a repeat of an interrupted delivery carries the same delivery id).
"""

import base64
import json
import os
import random
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.contracts.models import PactPublication
from apps.verifications.models import Verification
from apps.webhooks.models import TriggeredWebhook
from apps.webhooks.services.execution import DELIVERY_HEADER
from tests.support.celery_workers import Worker, broker_flush
from tests.support.gunicorn import Gunicorn, request
from tests.support.receiver import Receiver
from tests.support.tenancy import org_create
from tests.support.webhook_builders import webhook_create
from tests.webhooks.conftest import LOCAL_WEBHOOKS_ENV

pytestmark = pytest.mark.django_db(transaction=True)

ORGANISATIONS = 20
CLIENTS = 16
SECONDS = float(os.environ.get("SCALE_OUT_SECONDS", "60"))
STALL = 60
EVENTS = ["contract_published", "provider_verification_published"]
# Short leases (1 s connect + 2 s read + 1 s margin) and a sweep every second, so a killed worker's
# deliveries are taken over within seconds.
ENV = {**LOCAL_WEBHOOKS_ENV, "WEBHOOK_TIMEOUT": "2", "WEBHOOK_LEASE_MARGIN": "1", "WEBHOOK_REQUEUE_INTERVAL": "1"}


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def organisations(receiver):
    orgs = []
    for n in range(ORGANISATIONS):
        org = org_create(f"scale-{n:02d}")
        connection.set_schema_to_public()
        org.tenant.plan = "team"  # sixteen consumers each: more integrations than the free plan's five
        org.tenant.save()
        with schema_context(org.schema):
            webhook_create(url=receiver.url(f"/{org.tenant.slug}"), events=EVENTS)
        orgs.append(org)
    yield orgs
    connection.set_schema_to_public()
    for org in orgs:
        org.tenant.delete(force_drop=True)


@pytest.fixture
def cluster(organisations, tmp_path):
    broker_flush()
    webs = [Gunicorn(env=ENV, threads=4).start() for _ in range(2)]
    workers = [
        Worker("scale-a", env=ENV, pool="prefork", concurrency=2).start(),
        Worker(
            "scale-b",
            env={**ENV, "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat")},
            pool="prefork",
            concurrency=2,
            beat=True,
        ).start(),
    ]
    yield webs, workers
    for process in webs + workers:
        process.stop()
    broker_flush()


def _pact(consumer: str, version: str) -> str:
    content = {
        "consumer": {"name": consumer},
        "provider": {"name": "Orders"},
        "interactions": [
            {
                "description": f"get order for {version}",
                "request": {"method": "GET", "path": "/orders/1"},
                "response": {"status": 200},
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    return base64.b64encode(json.dumps(content).encode()).decode()


def _ci_client(number: int, webs, orgs, deadline: float, done: list, failures: list) -> None:
    """Publish a pact, then verify it, over and over; record what the broker said succeeded."""
    rng = random.Random(number)
    consumer = f"Consumer{number}"
    iteration = 0
    while time.monotonic() < deadline:
        org, web = orgs[rng.randrange(len(orgs))], webs[iteration % 2]
        version = f"{number}.{iteration}.0"
        iteration += 1
        body = {
            "pacticipantName": consumer,
            "pacticipantVersionNumber": version,
            "branch": "main",
            "contracts": [
                {
                    "consumerName": consumer,
                    "providerName": "Orders",
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": _pact(consumer, version),
                }
            ],
        }
        status, raw = request(
            web.port, org.host, "POST", "/contracts/publish", token=org.token, body=json.dumps(body).encode()
        )
        if status != 200:
            failures.append(f"publish {org.tenant.slug} {version}: {status} {raw[:200]!r}")
            continue
        done.append(("pact", org.tenant.slug, consumer, version))
        pact_url = json.loads(raw)["_links"]["pb:contracts"][0]["href"]
        status, raw = request(webs[iteration % 2].port, org.host, "GET", urlsplit(pact_url).path, token=org.token)
        verify_url = json.loads(raw)["_links"]["pb:publish-verification-results"]["href"]
        result = {"success": True, "providerApplicationVersion": version, "providerVersionBranch": "main"}
        status, raw = request(
            web.port, org.host, "POST", urlsplit(verify_url).path, token=org.token, body=json.dumps(result).encode()
        )
        if status != 201:
            failures.append(f"verify {org.tenant.slug} {version}: {status} {raw[:200]!r}")
            continue
        done.append(("verification", org.tenant.slug, consumer, version))


def _triggered(orgs) -> list[TriggeredWebhook]:
    rows = []
    for org in orgs:
        with schema_context(org.schema):
            rows += list(TriggeredWebhook.objects.all())
    return rows


def test_two_web_and_two_worker_processes_lose_and_duplicate_nothing_when_a_worker_dies(
    organisations, cluster, receiver
):
    webs, workers = cluster
    done, failures = [], []
    deadline = time.monotonic() + SECONDS
    clients = [
        threading.Thread(target=_ci_client, args=(n, webs, organisations, deadline, done, failures))
        for n in range(CLIENTS)
    ]
    for client in clients:
        client.start()
    time.sleep(SECONDS / 3)
    workers[0].kill()  # SIGKILL the whole worker, pool processes and all, mid-run
    for client in clients:
        client.join()

    assert failures == []
    published = Counter(kind for kind, *_ in done)
    assert published["pact"] > 100 and published["verification"] > 100  # a real load, not a trickle
    for org in organisations:  # what the broker acknowledged is there, once
        mine = [item for item in done if item[1] == org.tenant.slug]
        with schema_context(org.schema):
            pacts = Counter(
                (p.consumer_version.pacticipant.name, p.consumer_version.number)
                for p in PactPublication.objects.select_related("consumer_version__pacticipant")
            )
            verifications = Counter(
                (v.provider_version.number) for v in Verification.objects.select_related("provider_version")
            )
        assert pacts == Counter((consumer, version) for kind, _, consumer, version in mine if kind == "pact")
        assert verifications == Counter(version for kind, _, _, version in mine if kind == "verification")

    # Every event raised is delivered: one triggered webhook per publication and per verification (the
    # workers turn events into deliveries after the fact, so wait for them to catch up)...
    # The wait ends when everything is delivered, or when nothing has moved for STALL seconds (a slow
    # machine only takes longer; a lost delivery never arrives).
    expected = published["pact"] + published["verification"]
    progress, last_move = -1, time.monotonic()
    while time.monotonic() - last_move < STALL:
        triggered = _triggered(organisations)
        succeeded = sum(1 for t in triggered if t.status == "success")
        if len(triggered) >= expected and succeeded == len(triggered):
            break
        if len(triggered) + succeeded > progress:
            progress, last_move = len(triggered) + succeeded, time.monotonic()
        time.sleep(1)
    assert len(triggered) == expected
    assert [t.uuid for t in triggered if t.status != "success"] == []
    # ...each reached the receiver (a repeat after the kill carries the same delivery id), and each
    # is recorded as one successful attempt.
    delivered = Counter(r.headers[DELIVERY_HEADER] for r in receiver.requests)
    assert set(delivered) == {t.uuid for t in triggered}
    assert all(t.attempts_made == 1 for t in triggered)
    assert workers[0].proc.returncode == -9
