"""Organisation data (issue 18): export of `big`, import of its archive, and a retention clean-up of half
its history while another organisation keeps working.

Targets: export of the generated `big` tenant under 2 minutes; a clean-up deleting 50% of big's history
without any request of another organisation waiting more than 100 ms on a lock.

1. `manage.py org_export --org big` (a subprocess: its wall time and peak RSS are the command's).
2. `manage.py org_import` of that archive into `big-copy` (the clean-up runs on the copy, so `big` stays
   as the other benchmarks expect it), on the Business plan (history kept for ever: only the
   selectors below decide).
3. Keep-selectors that keep half: the open-source broker's defaults (latest per branch and per tag, latest,
   deployed, released) plus `max_age` = the age in days of the copy's median version. A dry run first
   (timed), then `manage.py org_clean` in a subprocess while this process runs requests against another
   organisation, `neighbour` (a publish of a new consumer version and a read of its latest pact, in a loop),
   on a database session with `lock_timeout = 100ms`: any wait on a lock longer than 100 ms fails that
   request, and the failures are counted. Their latencies are reported too, and a monitor samples
   pg_stat_activity every 20 ms for any other session waiting on a lock.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.support import django_setup, ensure_database, ms, percentiles

NAME = "organisation_data"
TITLE = "Organisation data: export, import and retention clean-up of big"
ROOT = Path(__file__).resolve().parent.parent
COPY = "big-copy"
NEIGHBOUR = "neighbour"
CPU: dict[str, float] = {}  # CPU seconds of the last run of each command (this machine is shared)


def _manage(*args: str) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB of this child, stdout) of one manage.py command; its CPU seconds go to CPU."""
    started = time.monotonic()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    env = {**os.environ, "PGAPPNAME": f"bench-{args[0]}"}  # named, so the lock monitor can tell it apart
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed: {result.stderr[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss
    CPU[args[0]] = usage.ru_utime + usage.ru_stime - cpu_before
    # ru_maxrss of children is the largest child so far: exact when this child is the largest yet.
    return time.monotonic() - started, max(peak, before) // 1024, result.stdout


def _drop(slug: str) -> None:
    from django.db import connection

    from tenants.models import Tenant

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is not None:
        tenant.delete(force_drop=True)


def _neighbour():
    """The other organisation (made once), its admin's token, a client factory."""
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts import services as account_services
    from apps.accounts.models import User
    from tenants.models import Tenant
    from tenants.services import tenant_provision

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(slug=NEIGHBOUR).first() or tenant_provision(name="Neighbour", slug=NEIGHBOUR)
    with schema_context(tenant.schema_name):
        user = User.objects.filter(email="bench@neighbour.example").first() or account_services.user_create(
            email="bench@neighbour.example", name="bench", password="correct-horse-battery", is_admin=True
        )
        _, secret = account_services.token_create(user=user, name="bench", read_only=False)
    return lambda: Client(HTTP_HOST=f"{NEIGHBOUR}.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")


def _pact(version: int) -> dict:
    return {
        "consumer": {"name": "Neighbour Web"},
        "provider": {"name": "Neighbour API"},
        "interactions": [
            {
                "description": f"call {version % 7}",
                "request": {"method": "GET", "path": "/x"},
                "response": {"status": 200},
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def _neighbour_load(client_factory, stop: threading.Event, samples: list, failures: list) -> None:
    from django.db import connection

    client = client_factory()
    with connection.cursor() as cursor:  # this thread's session (the test client keeps it between requests)
        cursor.execute("SET lock_timeout = '100ms'")
    version = int(time.time())
    while not stop.is_set():
        version += 1
        for method, path, body in (
            ("put", f"/pacts/provider/Neighbour%20API/consumer/Neighbour%20Web/version/{version}", _pact(version)),
            ("get", "/pacts/provider/Neighbour%20API/consumer/Neighbour%20Web/latest", None),
        ):
            started = time.monotonic()
            try:
                if body is None:
                    response = client.get(path)
                else:
                    response = client.put(path, json.dumps(body), content_type="application/json")
                if response.status_code >= 400:
                    failures.append(f"{method} {response.status_code}")
            except Exception as exc:  # a lock timeout surfaces here
                failures.append(f"{method} {type(exc).__name__}: {str(exc)[:120]}")
            samples.append(time.monotonic() - started)
    connection.close()


LOCK_WAITS = """
SELECT application_name, extract(epoch FROM now() - query_start)
FROM pg_stat_activity
WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name <> 'bench-org_clean'
"""


def lock_monitor(stop: threading.Event, worst: dict) -> None:
    """Sample every 20 ms which sessions (other than the clean-up's) wait on a lock, and for how long
    their statement has been running: the longest such wait seen, per application name."""
    import psycopg

    from bench.support import database_url

    with psycopg.connect(database_url(), autocommit=True) as conn:
        while not stop.is_set():
            for name, seconds in conn.execute(LOCK_WAITS).fetchall():
                worst[name or "?"] = max(worst.get(name or "?", 0.0), float(seconds))
            time.sleep(0.02)


def run() -> str:
    from bench import generate

    ensure_database()
    django_setup()
    generate.ensure()
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.models import Tenant

    lines = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM big.contracts_version")
        versions = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM big.verifications_verification")
        verifications = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM big.contracts_pactpublication")
        publications = cursor.fetchone()[0]
    lines.append(
        f"Data: the generated `big` tenant at BENCH_SCALE={generate.SCALE}: {versions:,} versions, "
        f"{publications:,} pact publications, {verifications:,} verification results. "
        f"Load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n"
    )

    with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
        archive = str(Path(scratch) / "big.tar.gz")
        export_seconds, export_rss, _ = _manage("org_export", "--org", "big", "--out", archive)
        size = os.path.getsize(archive)
        _drop(COPY)
        import_seconds, import_rss, _ = _manage(
            "org_import", "--archive", archive, "--org", COPY, "--operator", "bench"
        )
    connection.set_schema_to_public()
    Tenant.objects.filter(slug=COPY).update(plan="business")
    lines += [
        "| Step | wall time | CPU of the command | peak RSS | target |",
        "|---|---|---|---|---|",
        f"| `org_export --org big` ({size / 1e6:.0f} MB archive) | {export_seconds:.1f} s | "
        f"{CPU['org_export']:.1f} s | {export_rss} MB | < 2 min |",
        f"| `org_import` of that archive into a new organisation | {import_seconds:.1f} s | "
        f"{CPU['org_import']:.1f} s | {import_rss} MB | |",
        "",
    ]

    copy = Tenant.objects.get(slug=COPY)
    with schema_context(copy.schema_name), connection.cursor() as cursor:
        cursor.execute(
            "SELECT extract(epoch FROM now() - percentile_disc(0.5) WITHIN GROUP (ORDER BY created_at)) / 86400 "
            "FROM contracts_version"
        )
        median_age = int(cursor.fetchone()[0])
    keep = json.dumps(
        [
            {"branch": True, "latest": True},
            {"tag": True, "latest": True},
            {"latest": True},
            {"deployed": True},
            {"released": True},
            {"max_age": median_age},
        ]
    )
    dry_seconds, _, out = _manage("org_clean", "--org", COPY, "--keep", keep, "--dry-run")
    dry = json.loads(out)

    client_factory = _neighbour()
    samples: list[float] = []
    failures: list[str] = []
    stop = threading.Event()
    waits: dict[str, float] = {}
    load = threading.Thread(target=_neighbour_load, args=(client_factory, stop, samples, failures))
    monitor = threading.Thread(target=lock_monitor, args=(stop, waits))
    load.start()
    monitor.start()
    time.sleep(2)  # the neighbour's load is under way before the clean-up starts
    warm = len(samples)
    clean_seconds, clean_rss, out = _manage("org_clean", "--org", COPY, "--keep", keep)
    during = samples[warm:]
    stop.set()
    load.join()
    monitor.join()
    report = json.loads(out)
    deleted = report["deleted"]
    pcts = percentiles(during) if during else {"p50": 0, "p95": 0, "p99": 0}
    lines += [
        f"Clean-up of `{COPY}` keeping the open-source broker's default selectors and `max_age` {median_age} days "
        f"(the median version's age): `{keep}`.",
        "",
        "| Step | result |",
        "|---|---|",
        f"| Dry run | {dry_seconds:.1f} s: {dry['versions_to_delete']:,} of {dry['versions_total']:,} versions "
        f"({100 * dry['versions_to_delete'] / max(dry['versions_total'], 1):.0f}%) would go |",
        f"| Clean-up (batches of 200 versions, each its own transaction) | {clean_seconds:.1f} s, peak RSS {clean_rss} MB, "
        f"{report.get('skipped_locked', 0)} versions skipped on a lock |",
        "| Rows deleted | "
        + ", ".join(f"{table} {count:,}" for table, count in sorted(deleted.items(), key=lambda i: -i[1]))
        + " |",
        "",
        "| Another organisation during the clean-up (`lock_timeout = 100ms`) | requests | p50 | p95 | p99 | max | "
        "lock timeouts / errors | target |",
        "|---|---|---|---|---|---|---|---|",
        f"| publish a pact + read the latest pact, in a loop | {len(during)} | {ms(pcts['p50'])} | {ms(pcts['p95'])} | "
        f"{ms(pcts['p99'])} | {ms(max(during) if during else 0)} | {len(failures)} | 0 waits > 100 ms |",
        "",
    ]
    lines.append(
        "Longest wait on a lock of any other database session during the clean-up (pg_stat_activity sampled "
        f"every 20 ms): {ms(max(waits.values())) if waits else 'none seen'}"
        + (f" ({', '.join(f'{name}: {ms(sec)}' for name, sec in waits.items())})" if waits else "")
        + ".\n"
    )
    if failures:
        lines.append(f"Failures: {failures[:5]}")
    lines.append(
        "Why no wait: each organisation is its own schema, so the clean-up's row locks are on tables no other "
        "organisation touches; its batches are short transactions with their own `lock_timeout`, so within "
        "the organisation too a request waits at most one batch."
    )
    return "\n".join(lines)
