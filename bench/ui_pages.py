"""The UI's pages on the big tenant (issue 19): server time of the dashboard, applications,
application, contract, matrix, network and environments pages, in-process (django.test.Client with
a signed-in session: full middleware, tenant lookup, permissions), with their SQL statement counts.
Target: p95 under 300 ms server time."""

import os
import time
from urllib.parse import quote

from bench import generate
from bench.support import django_setup, ms, percentiles

NAME = "ui_pages"
TITLE = "UI pages on the big tenant"
RUNS = int(os.environ.get("BENCH_UI_RUNS", "20"))


def _pages(schema: str) -> list[tuple[str, str]]:
    from django_tenants.utils import schema_context

    from apps.contracts.models import Integration

    with schema_context(schema):
        wide = Integration.objects.select_related("consumer", "provider").order_by("id").first()
    consumer, provider = quote(wide.consumer.name), quote(wide.provider.name)
    return [
        ("Dashboard, first page", "/dashboard"),
        ("Dashboard, failed only, sorted by consumer", "/dashboard?status=failed&sort=consumer"),
        ("Applications, first page", "/ui/applications"),
        (f"Application {wide.provider.name}", f"/ui/applications/{provider}"),
        (f"Contract {wide.consumer.name} → {wide.provider.name}", f"/ui/pacts/provider/{provider}/consumer/{consumer}"),
        ("Matrix, consumer × provider", f"/ui/matrix?consumer={consumer}&provider={provider}"),
        (f"Can I deploy {wide.consumer.name} (defaults)", f"/ui/can-i-deploy?pacticipant={consumer}"),
        ("Network", "/ui/network"),
        ("Environments grid", "/ui/environments"),
    ]


def run() -> str:
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from tenants.models import Domain

    schema = generate.ensure()
    user = generate.bench_admin(schema)
    with schema_context("public"):
        host = Domain.objects.filter(tenant__schema_name=schema).values_list("domain", flat=True).first()
    client = Client(HTTP_HOST=host, HTTP_ACCEPT="text/html")
    with schema_context(schema):
        client.force_login(user)
    load = os.getloadavg()[0]
    lines = [
        f"Load average when the run started: {load:.1f} on {os.cpu_count()} cores (figures from a busy machine are"
        " upper bounds). Each page warmed once, then timed; statements counted on the last run.\n",
        "| Page | runs | p50 | p95 | p99 | SQL statements | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, path in _pages(schema):
        client.get(path)  # warm
        samples = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        p = percentiles(samples)
        lines.append(
            f"| {label} (`{path[:60]}`) | {RUNS} | {ms(p['p50'])} | {ms(p['p95'])} | {ms(p['p99'])} | "
            f"{len(queries)} | p95 < 300 ms |"
        )
        print(lines[-1], flush=True)
    return "\n".join(lines) + "\n"
