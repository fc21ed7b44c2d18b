"""Pacts for verification on the `big` tenant: the provider with the most consumers.

POST /pacts/provider/{p}/for-verification with selectors mainBranch, deployedOrReleased, matchingBranch,
includePendingStatus true and includeWipPactsSince 30 days back (performance-anchors §5.2 item 5).
"""

import json
import os

from bench import generate
from bench.matrix import explain
from bench.measure import HEADER, SCALE_NOTE, ok, row, timed
from bench.support import django_setup

NAME = "pfv"
TITLE = "Pacts for verification on the big tenant"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def run() -> str:
    django_setup()
    schema = generate.ensure()
    spots = generate.hot_spots()
    client = generate.client_for(schema)()
    provider = spots["popular_provider"]
    consumers = sum(1 for ps in generate.layout().values() if generate.CONSUMERS_ONLY in ps)
    since = (generate.NOW.replace(microsecond=0) - __import__("datetime").timedelta(days=30)).isoformat()
    body = json.dumps(
        {
            "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}, {"matchingBranch": True}],
            "providerVersionBranch": "main",
            "includePendingStatus": True,
            "includeWipPactsSince": since,
        }
    )
    path = f"/pacts/provider/{provider}/for-verification"

    def call():
        return client.post(path, data=body, content_type="application/json", HTTP_ACCEPT="application/hal+json")

    response = call()
    ok(200)(response)
    pacts = len(response.json()["_embedded"]["pacts"])
    s, q = timed(call, RUNS, ok(200))
    plans, total, seq = explain(schema, call, "pacts for verification")
    with open(generate.__file__.replace("generate.py", "results/pfv-explain.txt"), "w") as f:
        f.write("\n".join(plans))
    return "\n".join(
        [
            SCALE_NOTE.format(scale=generate.SCALE),
            "",
            f"Provider `{provider}` with {consumers} consumers; providerVersionBranch main; WIP since {since} "
            f"(the generated history ends {generate.NOW:%Y-%m-%d}). {pacts} pacts returned.",
            "",
            *HEADER,
            row(
                "POST for-verification (mainBranch, deployedOrReleased, matchingBranch, pending, WIP 30 d)",
                s,
                q,
                "p95 < 80 ms",
            ),
            "",
            f"SELECT statements run directly with EXPLAIN (ANALYZE, BUFFERS): {total:.1f} ms summed; Seq Scan on a "
            f"table over 10,000 rows: {', '.join(sorted(set(seq))) or 'none'} (plans in `bench/results/pfv-explain.txt`).",
        ]
    )
