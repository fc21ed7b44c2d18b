"""Import from a running broker (issue 18): `manage.py broker_import` reading the generated `big`
tenant served by gunicorn in self-hosted mode, into a fresh organisation of the bench database.

The import runs as its own process (the command an operator runs), so its peak memory is that
process's maximum resident set (`getrusage(RUSAGE_CHILDREN)`). The run's row is sampled every
second for the phase and the counts, giving the rate of each phase. A full import of `big` at
BENCH_SCALE=1.0 (300,000 publications, 1,000,000 verification results, each read over HTTP) takes
longer than a benchmark should, so the run is cancelled after BENCH_IMPORT_SECONDS (cancellation is
part of the feature: the checkpoint lets it continue) and the rates are those reached until then.
"""

import os
import resource
import signal
import subprocess
import sys
import time

from bench import generate
from bench.http import ROOT, _free_port
from bench.support import django_setup

NAME = "broker_import"
TITLE = "Import from a running broker (manage.py broker_import)"
SECONDS = float(os.environ.get("BENCH_IMPORT_SECONDS", "300"))
# "current" by default: with "all", two reads per version and environment for the deployment history
# keep the versions phase busy for the whole budget on a loaded machine (the pacts phase, which the
# target is about, would not be reached).
DEPLOYMENT_HISTORY = os.environ.get("BENCH_IMPORT_DEPLOYMENT_HISTORY", "current")
TARGET_SLUG = "import-target"
USER, PASSWORD = "bench-import", "bench-import-password"


def _target_reset() -> str:
    from django.db import connection

    from tenants.models import Tenant
    from tenants.services import tenant_provision

    connection.set_schema_to_public()
    for tenant in Tenant.objects.filter(slug=TARGET_SLUG):
        tenant.delete(force_drop=True)
    tenant = tenant_provision(name="Import target", slug=TARGET_SLUG)
    Tenant.objects.filter(pk=tenant.pk).update(plan="enterprise")  # the big broker has ~600 integrations
    return tenant.schema_name


def _source_start(schema: str, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "BROKER_SINGLE_TENANT": "true",
        "BROKER_SINGLE_TENANT_SCHEMA": schema,
        "PACT_BROKER_ALLOW_ANY_HOST": "true",
        "PACT_BROKER_BASIC_AUTH_USERNAME": USER,
        "PACT_BROKER_BASIC_AUTH_PASSWORD": PASSWORD,
        "WEB_WORKERS": "2",
        "WEB_THREADS": "8",
        "PYTHONUNBUFFERED": "1",
    }
    log = open(ROOT / "var" / "bench-import-source.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "config.wsgi:application"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    import http.client

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the source gunicorn did not start (var/bench-import-source.log)")


def _sample(schema: str):
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.broker_import.models import ImportRun

    with schema_context(schema):
        run = ImportRun.objects.order_by("-pk").first()
        result = None if run is None else (run.pk, run.phase, dict(run.counts), run.status)
    connection.close()
    return result


def _cancel(schema: str, run_id: int) -> None:
    from django_tenants.utils import schema_context

    from apps.broker_import.models import ImportRun

    with schema_context(schema):
        ImportRun.objects.filter(pk=run_id).update(cancel_requested=True)


def run() -> str:
    django_setup()
    source_schema = generate.ensure()
    target_schema = _target_reset()
    port = _free_port()
    source = _source_start(source_schema, port)
    samples = []
    try:
        env = {**os.environ, "SOURCE_BROKER_PASSWORD": PASSWORD}
        started = time.monotonic()
        command = subprocess.Popen(
            [sys.executable, "manage.py", "broker_import", "--source-url", f"http://127.0.0.1:{port}",
             "--source-user", USER, "--org", TARGET_SLUG, "--no-progress", "--deployment-history", DEPLOYMENT_HISTORY],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        cancelled = False
        while command.poll() is None:
            time.sleep(1)
            sample = _sample(target_schema)
            if sample:
                samples.append((time.monotonic() - started, *sample))
                if not cancelled and time.monotonic() - started > SECONDS:
                    _cancel(target_schema, sample[0])
                    cancelled = True
        output = command.stdout.read()
        elapsed = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        source.send_signal(signal.SIGTERM)
        source.wait(timeout=30)
    return _report(samples, elapsed, peak_mb, output, cancelled)


def _report(samples, elapsed, peak_mb, output, cancelled) -> str:
    phases = {}
    for at, _, phase, counts, _ in samples:
        first = phases.setdefault(phase, {"start": at, "end": at, "first": counts, "last": counts})
        first["end"], first["last"] = at, counts
    rows = []
    for phase, span in phases.items():
        duration = max(0.001, span["end"] - span["start"])
        moved = {key: span["last"].get(key, 0) - span["first"].get(key, 0) for key in span["last"]}
        rates = ", ".join(f"{key} {value / duration:.0f}/s" for key, value in moved.items() if value)
        rows.append(f"| {phase} | {duration:.0f} s | {rates or '—'} |")
    final = samples[-1][3] if samples else {}
    pacts_span = phases.get("pacts")
    pact_rate = None
    if pacts_span:
        pact_rate = (pacts_span["last"].get("pacts", 0) - pacts_span["first"].get("pacts", 0)) / max(
            0.001, pacts_span["end"] - pacts_span["start"]
        )
    lines = [
        f"Source: the generated `big` tenant at BENCH_SCALE={generate.SCALE}, served by gunicorn (2 workers × 8 threads, "
        "self-hosted mode, HTTP Basic auth) on this machine; target: a fresh organisation of the bench database; "
        f"the import is `manage.py broker_import --deployment-history {DEPLOYMENT_HISTORY}` in its own process with 8 "
        "concurrent reads." + (f" Cancelled after {SECONDS:.0f} s as the module note explains." if cancelled else ""),
        "",
        "| Phase | time | imported per second |",
        "|---|---|---|",
        *rows,
        "",
        f"Imported in {elapsed:.0f} s: " + ", ".join(f"{key} {value}" for key, value in final.items()) + ".",
        "",
        f"| Measure | value | target |\n|---|---|---|\n"
        f"| publications per second (pacts phase) | {pact_rate:.0f} | ≥ 200 |\n"
        f"| peak memory of the import process | {peak_mb:.0f} MB | < 500 MB |"
        if pact_rate is not None
        else f"Peak memory of the import process: {peak_mb:.0f} MB (target < 500 MB). The pacts phase was not reached.",
        "",
        "Last lines of the command's output:",
        "",
        "```",
        *output.strip().splitlines()[-6:],
        "```",
    ]
    return "\n".join(lines)
