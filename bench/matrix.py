"""can-i-deploy and the matrix on the `big` tenant, with the plans of every statement they run.

Targets (performance-anchors §5.3): can-i-deploy ≤ 5 SQL statements, p50 ≈ 3–6 ms, p99 < 50 ms; no Seq Scan on a
table over 10,000 rows in any captured plan. Plans go to bench/results/matrix-explain.txt.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlencode

from bench import generate
from bench.measure import HEADER, SCALE_NOTE, ok, row, timed
from bench.support import django_setup

NAME = "matrix"
TITLE = "can-i-deploy and the matrix on the big tenant"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
EXPLAIN_FILE = Path(__file__).resolve().parent / "results" / "matrix-explain.txt"


def latest_version(schema: str, pacticipant: str) -> str:
    from django_tenants.utils import schema_context

    from apps.contracts.models import Version

    with schema_context(schema):
        return Version.objects.filter(pacticipant__name=pacticipant).order_by("-order").first().number


def explain(schema: str, call, label: str) -> tuple[list[str], float, list[str]]:
    """Capture the request's statements, EXPLAIN (ANALYZE, BUFFERS) each; returns (plans, total ms, seq scans)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        call()
    statements = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    out, total, seq = [f"===== {label}: {len(statements)} SELECT statements"], 0.0, []
    with connection.cursor() as cursor:
        cursor.execute(f'SET search_path TO "{schema}", public')
        sizes = {}
        cursor.execute(
            "SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN (%s, 'public') AND c.relkind = 'r'",
            [schema],
        )
        sizes = dict(cursor.fetchall())
        for sql in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [r[0] for r in cursor.fetchall()]
            out += ["", sql, *plan]
            for line in plan:
                if m := re.search(r"Execution Time: ([\d.]+) ms", line):
                    total += float(m.group(1))
                if m := re.search(r"Seq Scan on (\w+)", line):
                    if sizes.get(m.group(1), 0) > 10_000:
                        seq.append(f"{m.group(1)} (~{sizes[m.group(1)]:,.0f} rows)")
    return out, total, seq


def run() -> str:
    django_setup()
    schema = generate.ensure()
    spots = generate.hot_spots()
    client = generate.client_for(schema)()
    typical, wide, provider = spots["typical_consumer"], spots["wide_consumer"], spots["popular_provider"]
    cases = [
        (
            f"GET /can-i-deploy `{typical}` (4 integrations) → production",
            "/can-i-deploy?"
            + urlencode(
                {"pacticipant": typical, "version": latest_version(schema, typical), "environment": "production"}
            ),
            "≤ 5 statements, p99 < 50 ms",
        ),
        (
            f"GET /can-i-deploy `{wide}` (30 integrations) → production",
            "/can-i-deploy?"
            + urlencode({"pacticipant": wide, "version": latest_version(schema, wide), "environment": "production"}),
            "≤ 5 statements, p99 < 50 ms",
        ),
        (
            f"GET /matrix `{typical}` latest × `{provider}` latest, latestby=cvp, limit=100",
            "/matrix?"
            + urlencode(
                [
                    ("q[][pacticipant]", typical),
                    ("q[][latest]", "true"),
                    ("q[][pacticipant]", provider),
                    ("q[][latest]", "true"),
                    ("latestby", "cvp"),
                    ("limit", "100"),
                ]
            ),
            "p99 < 1 s",
        ),
        (
            f"GET /matrix `{provider}` (pacticipant only), limit=100",
            "/matrix?" + urlencode([("q[][pacticipant]", provider), ("limit", "100")]),
            "p99 < 1 s",
        ),
    ]
    lines = [SCALE_NOTE.format(scale=generate.SCALE), ""] + HEADER
    explained, sql_rows, seq_all = [], [], []
    for label, path, target in cases:

        def call(path=path):
            return client.get(path, HTTP_ACCEPT="application/hal+json")

        s, q = timed(call, RUNS, ok(200))
        lines.append(row(label, s, q, target))
        plans, total, seq = explain(schema, call, label)
        explained += plans + [""]
        sql_rows.append(f"| {label} | {total:.1f} ms | {', '.join(sorted(set(seq))) or 'none'} |")
        seq_all += seq
    EXPLAIN_FILE.write_text("\n".join(explained))
    seq_summary = "yes — " + ", ".join(sorted(set(seq_all))) if seq_all else "none"
    lines += [
        "",
        "The same requests' SELECT statements run directly in PostgreSQL with EXPLAIN (ANALYZE, BUFFERS) "
        "(sum of server execution times; plans in `bench/results/matrix-explain.txt`):",
        "",
        "| Request | SQL execution, summed | Seq Scan on a table > 10k rows |",
        "|---|---|---|",
        *sql_rows,
        "",
        f"Seq Scan on a table over 10,000 rows: **{seq_summary}**.",
    ]
    return "\n".join(lines)
