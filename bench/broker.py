"""Core broker API on the `big` tenant: publishing, verification results, index, latest pact, integrations.

Targets (performance-anchors §5.3): publish of 4 pacts ≤ 15 statements; verification publish ≤ 3 statements;
storage growth of an unchanged re-publish < 1 KB; all API p99 < 1 s.
"""

import base64
import json
import os
import threading
import time
import uuid

from bench import generate
from bench.measure import HEADER, SCALE_NOTE, ok, row, timed
from bench.support import django_setup, ms, percentiles

NAME = "broker"
TITLE = "Broker API on the big tenant: publish, verify, read"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def pact_document(consumer: str, provider: str, salt: str) -> dict:
    filler = "y" * 800
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": f"request {k} {salt}",
                "providerState": f"state {k}",
                "request": {"method": "GET", "path": f"/items/{k}"},
                "response": {"status": 200, "body": {"id": k, "pad": filler}},
            }
            for k in range(20)
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def publish_body(consumer: str, providers: list[str], version: str, salt: str) -> str:
    contracts = [
        {
            "consumerName": consumer,
            "providerName": p,
            "specification": "pact",
            "contentType": "application/json",
            "content": base64.b64encode(json.dumps(pact_document(consumer, p, salt)).encode()).decode(),
        }
        for p in providers
    ]
    return json.dumps(
        {
            "pacticipantName": consumer,
            "pacticipantVersionNumber": version,
            "branch": "main",
            "tags": ["main"],
            "contracts": contracts,
        }
    )


def _contracts_size(schema: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r' "
            "AND c.relname LIKE 'contracts\\_%%'",
            [schema],
        )
        return int(cursor.fetchone()[0])


def run() -> str:
    django_setup()
    schema = generate.ensure()
    spots = generate.hot_spots()
    make_client = generate.client_for(schema)
    client = make_client()
    consumer, providers = spots["typical_consumer"], spots["typical_providers"]
    run_id = uuid.uuid4().hex[:8]
    counter = iter(range(10**9))

    def publish(salt):
        body = publish_body(consumer, providers, f"bench-{run_id}-{next(counter)}", salt)
        return client.post("/contracts/publish", data=body, content_type="application/json")

    lines = [
        SCALE_NOTE.format(scale=generate.SCALE),
        "",
        f"Typical consumer `{consumer}` publishing 4 pacts of ~20 KB (branch + tag) to {', '.join(providers)}.",
        "",
    ] + HEADER
    publish_ok = ok(200)
    s, q = timed(lambda: publish("same"), RUNS, publish_ok)
    lines.append(row("POST /contracts/publish, 4 pacts, unchanged content", s, q, "≤ 15 statements, p95 < 60 ms"))
    s, q = timed(lambda: publish(uuid.uuid4().hex), RUNS, publish_ok)
    lines.append(row("POST /contracts/publish, 4 pacts, changed content", s, q, "≤ 15 statements, p95 < 60 ms"))

    latest = f"/pacts/provider/{providers[0]}/consumer/{consumer}/latest"
    pact = client.get(latest, HTTP_ACCEPT="application/hal+json").json()
    href = pact["_links"]["pb:publish-verification-results"]["href"]
    s, q = timed(
        lambda: client.post(
            href,
            data=json.dumps({"success": True, "providerApplicationVersion": f"bench-{run_id}-{next(counter)}"}),
            content_type="application/json",
        ),
        RUNS,
        ok(201),
    )
    lines.append(
        row("POST verification result (new provider version)", s, q, "≤ 3 data statements (+ token, billing check)")
    )
    for label, path in [("GET / (index)", "/"), ("GET latest pact", latest), ("GET /integrations", "/integrations")]:
        s, q = timed(lambda path=path: client.get(path, HTTP_ACCEPT="application/hal+json"), RUNS, ok(200))
        lines.append(row(label, s, q, "p95 < 30 ms"))

    # storage growth of 100 unchanged re-publishes
    before = _contracts_size(schema)
    for _ in range(100):
        publish_ok(publish("same"))
    growth = (_contracts_size(schema) - before) / 100
    lines += [
        "",
        f"Storage growth of 100 unchanged re-publishes (4 pacts each), sum of "
        f"`pg_total_relation_size` over the contracts tables: **{growth:,.0f} bytes per publish** "
        f"({growth / 4:,.0f} per pact; target < 1 KB per pact). Page-granular, so an average over 100.",
    ]

    # 8 concurrent publishers, each its own client and consumer
    threads, results, errors = [], [], []

    def publisher(n: int):
        from django.db import connection

        own = make_client()
        name = f"consumer-{10 + n:03d}"
        provs = generate.layout()[10 + n]
        try:
            for i in range(10):
                body = publish_body(
                    name,
                    [generate.name_of(p) for p in provs],
                    f"bench-{run_id}-t{n}-{i}",
                    "same" if i % 2 else uuid.uuid4().hex,
                )
                started = time.perf_counter()
                response = own.post("/contracts/publish", data=body, content_type="application/json")
                results.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(response.status_code)
        finally:
            connection.close()

    started = time.perf_counter()
    for n in range(8):
        threads.append(threading.Thread(target=publisher, args=(n,)))
        threads[-1].start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    p = percentiles(results)
    lines += [
        "",
        f"8 concurrent publishers (threads, one Client and consumer each, 10 publishes of 4 pacts, half "
        f"with changed content): p50 {ms(p['p50'])}, p95 **{ms(p['p95'])}**, p99 {ms(p['p99'])}; "
        f"{len(results)} publishes in {wall:.1f} s ({len(results) / wall:.1f}/s); errors: {errors or 'none'}.",
    ]
    return "\n".join(lines)
