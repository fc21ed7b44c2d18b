"""Timing one request repeatedly through the whole Django stack, with its SQL statement count."""

import os
import time

from bench.support import ms, percentiles
from config.runtime import heap_freeze

SCALE_NOTE = (
    "Data: the generated `big` tenant (bench/generate.py) at BENCH_SCALE={scale}; in-process requests "
    "through django.test.Client (full middleware, tenant lookup, auth), no network; the process's "
    "start-up heap frozen as config/wsgi.py does. Load average when the benchmarks started: "
    f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (figures from a busy machine are upper "
    "bounds). Statement counts are exact: every statement of the request, including the token "
    "lookup and the billing check of writes; `SET search_path` and BEGIN/COMMIT not counted."
)


# Session set-up and transaction control are not statements of the request's work.
NOT_COUNTED = ("SET ", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def timed(call, runs: int, check=None) -> tuple[list[float], list[int]]:
    """Run `call()` `runs` times after one warm-up; returns (seconds, statements) samples."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once():
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = call()
            elapsed = time.perf_counter() - started
        if check is not None:
            check(response)
        statements = sum(1 for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(NOT_COUNTED))
        return elapsed, statements

    once()
    heap_freeze()  # as config/wsgi.py does once a server process has loaded the application
    samples = [once() for _ in range(runs)]
    return [s for s, _ in samples], [n for _, n in samples]


def row(label: str, seconds: list[float], statements: list[int] | None, target: str = "") -> str:
    p = percentiles(seconds)
    sql = (
        "–"
        if not statements
        else (str(statements[0]) if min(statements) == max(statements) else f"{min(statements)}–{max(statements)}")
    )
    return f"| {label} | {len(seconds)} | {ms(p['p50'])} | {ms(p['p95'])} | {ms(p['p99'])} | {sql} | {target} |"


HEADER = ["| Operation | runs | p50 | p95 | p99 | SQL statements | target |", "|---|---|---|---|---|---|---|"]


def ok(status: int = 200):
    def check(response):
        if response.status_code != status:
            raise AssertionError(f"HTTP {response.status_code}: {response.content[:500]!r}")

    return check
