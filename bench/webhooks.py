"""Webhook fan-out: one publish that triggers N webhooks, delivered by a real Celery worker on Redis.

Targets (issue "Webhooks on Celery", performance-anchors §5.2 item 7 and §5.3): the publish request's own
latency must not grow with the number of webhooks (the request enqueues one task per pact, whatever N);
time from commit to the last delivery, and deliveries per second, with 2 worker processes.

For N in BENCH_WEBHOOK_COUNTS (0 10 50 100), in the organisation `fanout` of the bench database:
N webhooks on `contract_published` for one consumer/provider pair, each a JSON POST with template
parameters to a sink: an HTTP server in this process on 127.0.0.1 that answers 200 at once. Each run
publishes one pact for a new consumer version (POST /contracts/publish through django.test.Client, as the
other benchmarks) and waits until the sink has every delivery. The worker is `celery worker --concurrency 2`
(BENCH_WEBHOOK_CONCURRENCY) on its own Redis database (BENCH_CELERY_BROKER_URL, default
redis://127.0.0.1:6379/2, emptied first). The SSRF guard refuses loopback, so the worker runs with
PACT_BROKER_WEBHOOK_HOST_WHITELIST=127.0.0.1 and http allowed, as the tests do.

"Commit" is the moment the publish's after-commit hook queues its event task (Celery's before_task_publish
in this process); delivery times are the sink's clock (same machine, wall clock).
"""

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bench.measure import NOT_COUNTED, ok, timed
from bench.support import django_setup, ensure_database, ms, percentiles

NAME = "webhooks"
TITLE = "Webhook fan-out: one publish, N deliveries by a Celery worker"
RUNS = int(os.environ.get("BENCH_RUNS", "30"))
COUNTS = [int(n) for n in os.environ.get("BENCH_WEBHOOK_COUNTS", "0 10 50 100").split()]
CONCURRENCY = int(os.environ.get("BENCH_WEBHOOK_CONCURRENCY", "2"))
BROKER_URL = os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/2")
SLUG = "fanout"
CONSUMER = "bench-consumer"
ROOT = Path(__file__).resolve().parent.parent
WORKER_ENV = {
    "CELERY_BROKER_URL": BROKER_URL,
    "PACT_BROKER_WEBHOOK_HOST_WHITELIST": "127.0.0.1",
    "PACT_BROKER_WEBHOOK_SCHEME_WHITELIST": "http https",
    "LOG_LEVEL": "WARNING",
}


class Sink:
    """Records (arrival wall-clock time, delivery id) per consumer version, answers 200 at once."""

    def __init__(self):
        self.arrivals: dict[str, list[tuple[float, str]]] = {}
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                arrived = time.time()
                version = parse_qs(urlsplit(self.path).query).get("version", [""])[0]
                with sink.lock:
                    sink.arrivals.setdefault(version, []).append(
                        (arrived, self.headers.get("X-Pact-Broker-Webhook-Delivery", ""))
                    )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, version: str, count: int, timeout: float = 180) -> list[tuple[float, str]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                got = list(self.arrivals.get(version, []))
            if len(got) >= count:
                return got
            time.sleep(0.002)
        raise TimeoutError(f"{len(got)} of {count} deliveries for {version} within {timeout:.0f} s")

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _migrate() -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
        cwd=ROOT,
        check=True,
        env=dict(os.environ),
    )


def _celery_on_bench_broker():
    """Point this process's Celery producer at the bench's Redis database, even if another benchmark
    already used the app with the default broker in this process."""
    import redis

    from config.celery import app

    app.conf.broker_url = BROKER_URL
    app.conf.broker_transport_options = {}
    app.close()  # drop a pool bound to another broker
    redis.Redis.from_url(BROKER_URL).flushdb()
    return app


def _organisation() -> tuple[str, object]:
    """The `fanout` organisation (made once; its deliveries of earlier runs are removed) and an admin client."""
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts import services as account_services
    from apps.accounts.models import User
    from apps.webhooks.models import TriggeredWebhook
    from tenants.models import Tenant
    from tenants.services import tenant_provision

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(slug=SLUG).first() or tenant_provision(name="Fan-out", slug=SLUG)
    Tenant.objects.filter(pk=tenant.pk).update(plan="business", seats=10)  # no integration limit
    with schema_context(tenant.schema_name):
        TriggeredWebhook.objects.all().delete()
        user = User.objects.filter(email="bench@fanout.example").first() or account_services.user_create(
            email="bench@fanout.example",
            name="bench",
            password="correct-horse-battery",
            is_admin=True,
            email_confirmed=True,
        )
        _, secret = account_services.token_create(user=user, name=f"bench-{uuid.uuid4().hex[:6]}", read_only=False)
    return tenant.schema_name, Client(HTTP_HOST=f"{SLUG}.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")


def _webhooks_set(schema: str, provider: str, count: int, port: int) -> None:
    """Exactly `count` webhooks on contract_published for CONSUMER -> provider, to the sink."""
    from django_tenants.utils import schema_context

    from apps.contracts.services.find_or_create import pacticipant_find_or_create
    from apps.webhooks.models import Webhook
    from apps.webhooks.services import webhook_save, webhook_uuid_generate

    with schema_context(schema):
        consumer_row = pacticipant_find_or_create(name=CONSUMER)
        provider_row = pacticipant_find_or_create(name=provider)
        Webhook.objects.filter(provider=provider_row).delete()
        body = {
            "pact": "${pactbroker.pactUrl}",
            "consumer": "${pactbroker.consumerName}",
            "version": "${pactbroker.consumerVersionNumber}",
            "event": "${pactbroker.eventName}",
        }
        for i in range(count):
            webhook_save(
                webhook=Webhook(uuid=webhook_uuid_generate()),
                fields={
                    "description": f"fan-out {i}",
                    "enabled": True,
                    "events": ["contract_published"],
                    "method": "POST",
                    "url": f"http://127.0.0.1:{port}/build/{provider}/{i}?version=${{pactbroker.consumerVersionNumber}}",
                    "headers": {"Content-Type": "application/json"},
                    "body": json.dumps(body),
                    "is_json_request_body": True,
                    "consumer": consumer_row,
                    "provider": provider_row,
                },
            )


def _publish_body(provider: str, version: str) -> str:
    import base64

    pact = {
        "consumer": {"name": CONSUMER},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": f"request {k}",
                "providerState": f"state {k}",
                "request": {"method": "GET", "path": f"/items/{k}"},
                "response": {"status": 200, "body": {"id": k, "pad": "y" * 200}},
            }
            for k in range(10)
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    return json.dumps(
        {
            "pacticipantName": CONSUMER,
            "pacticipantVersionNumber": version,
            "branch": "main",
            "contracts": [
                {
                    "consumerName": CONSUMER,
                    "providerName": provider,
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": base64.b64encode(json.dumps(pact).encode()).decode(),
                }
            ],
        }
    )


def _worker_idle(name: str, timeout: float = 60) -> None:
    """Wait until the worker has nothing queued, reserved or running, so that a publish is never timed
    while the previous one's work is still using the CPUs (the event task of a publish without webhooks
    has no delivery to wait for)."""
    import redis

    from config.celery import app

    queue = redis.Redis.from_url(BROKER_URL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if queue.llen("celery") == 0:
            inspect = app.control.inspect(destination=[name], timeout=1, limit=1)
            busy = [(inspect.active() or {}).get(name), (inspect.reserved() or {}).get(name)]
            if busy == [[], []]:
                return
        time.sleep(0.02)
    raise TimeoutError(f"the bench Celery worker was still busy after {timeout:.0f} s")


def _worker_start() -> tuple[subprocess.Popen, str]:
    from bench.support import database_url
    from config.celery import app

    env = {k: v for k, v in os.environ.items() if k != "CELERY_RESULT_BACKEND"}
    env.update(WORKER_ENV, DATABASE_URL=database_url())
    name = f"bench-webhooks-{os.getpid()}@localhost"
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "bench-webhooks-worker.log", "ab")  # closed when this process ends
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={CONCURRENCY}",
            "--loglevel=WARNING",
            "-n",
            name,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the bench Celery worker exited; see var/bench-webhooks-worker.log")
        if app.control.ping(destination=[name], timeout=0.5):
            return proc, name
    proc.kill()
    raise RuntimeError("the bench Celery worker did not start; see var/bench-webhooks-worker.log")


def _succeeded(schema: str, version: str, count: int, timeout: float = 60) -> int:
    """Triggered webhooks of this publish recorded as successful by the worker (waits for all)."""
    from django_tenants.utils import schema_context

    from apps.webhooks.models import TriggeredWebhook

    deadline = time.monotonic() + timeout
    while True:
        with schema_context(schema):
            done = TriggeredWebhook.objects.filter(
                status="success", pact_publication__consumer_version__number=version
            ).count()
        if done >= count or time.monotonic() > deadline:
            return done
        time.sleep(0.05)


def _measure(schema: str, client, sink: Sink, worker_name: str, count: int, run_id: str) -> dict:
    from celery.signals import before_task_publish

    provider = f"provider-{count:03d}"
    _webhooks_set(schema, provider, count, sink.port)
    counter = iter(range(10**6))
    state = {"in_request": False, "messages": 0, "commit": None, "version": None}
    rounds, messages, problems = [], [], []

    def on_publish(sender=None, **kwargs):
        if state["in_request"]:
            state["messages"] += 1
            if sender == "webhooks.contract_published" and state["commit"] is None:
                state["commit"] = time.time()

    def call():
        state.update(in_request=True, messages=0, commit=None, version=f"{run_id}-{count}-{next(counter)}")
        try:
            return client.post(
                "/contracts/publish", data=_publish_body(provider, state["version"]), content_type="application/json"
            )
        finally:
            state["in_request"] = False

    def check(response):
        ok(200)(response)
        messages.append(state["messages"])
        if count == 0:
            _worker_idle(worker_name)
            return
        arrivals = sink.wait(state["version"], count)
        times = sorted(t for t, _ in arrivals)
        ids = {d for _, d in arrivals}
        succeeded = _succeeded(schema, state["version"], count)
        if len(ids) != count or succeeded != count:
            problems.append(f"{len(arrivals)} requests, {len(ids)} delivery ids, {succeeded} recorded successes")
        first, last = times[0] - state["commit"], times[-1] - state["commit"]
        rounds.append({"first": first, "last": last, "rate": count / last})
        _worker_idle(worker_name)

    before_task_publish.connect(on_publish, weak=False)
    try:
        seconds, statements = timed(call, RUNS, check)
    finally:
        before_task_publish.disconnect(on_publish)
    return {
        "count": count,
        "seconds": seconds,
        "statements": statements,
        "messages": messages[1:],
        "rounds": rounds[1:],
        "problems": problems,
    }


def run() -> str:
    ensure_database()
    _migrate()
    django_setup()
    app = _celery_on_bench_broker()
    schema, client = _organisation()
    sink = Sink()
    load_before = os.getloadavg()
    worker, worker_name = _worker_start()
    results = []
    try:
        run_id = uuid.uuid4().hex[:8]
        for count in COUNTS:
            print(f"   {count} webhooks ...", flush=True)
            results.append(_measure(schema, client, sink, worker_name, count, run_id))
        per_delivery = _statements_per_delivery(schema) if any(COUNTS) else None
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        sink.stop()
        app.close()
    load_after = os.getloadavg()
    return _report(results, per_delivery, load_before, load_after)


def _statements_per_delivery(schema: str) -> int:
    """SQL statements of one delivery, run here on a copy of a delivered triggered webhook (exact; the
    worker runs the same code)."""
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    from apps.webhooks.models import TriggeredWebhook
    from apps.webhooks.services.execution import triggered_webhook_execute

    with (
        schema_context(schema),
        override_settings(WEBHOOK_HOST_WHITELIST=["127.0.0.1"], WEBHOOK_SCHEME_WHITELIST=["http", "https"]),
    ):
        row = TriggeredWebhook.objects.filter(status="success", webhook__isnull=False).order_by("-id").first()
        row.pk, row.uuid, row.status, row.attempts_made = None, str(uuid.uuid4()), "not_run", 0
        row.save()
        with CaptureQueriesContext(connection) as ctx:
            outcome = triggered_webhook_execute(uuid=row.uuid)
        row.delete()
    if outcome != "success":
        raise RuntimeError(f"the measured delivery ended with {outcome}")
    return sum(1 for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith(NOT_COUNTED))


def _spread(values: list[int]) -> str:
    return str(values[0]) if min(values) == max(values) else f"{min(values)}–{max(values)}"


def _report(results: list[dict], per_delivery: int | None, load_before, load_after) -> str:
    lines = [
        f"Organisation `{SLUG}` in the bench database; one pact (~3 KB) per publish for a new consumer version, "
        f"`POST /contracts/publish` in-process through django.test.Client (full middleware, tenant lookup, "
        f"token auth). Worker: `celery -A config worker --concurrency {CONCURRENCY}` (prefork) on Redis "
        f"(`{BROKER_URL}`); sink: an HTTP server on 127.0.0.1 in the bench process answering 200 at once "
        f"(reached through `PACT_BROKER_WEBHOOK_HOST_WHITELIST=127.0.0.1`). Each webhook is a JSON POST with "
        f"four `${{pactbroker.*}}` parameters. {RUNS} publishes per row after one warm-up; each waits for all "
        f"its deliveries before the next.",
        "",
        f"The machine ({os.cpu_count()} cores) runs the web request, PostgreSQL, Redis, the sink and both worker "
        f"processes, and was shared with other work (load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after): wall-clock figures are noisy upper bounds; statement and message counts "
        f"are exact.",
        "",
        "**The publish request** (what a CI job waits for):",
        "",
        "| Operation | runs | p50 | p95 | p99 | SQL statements | Celery messages sent | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p = percentiles(r["seconds"])
        lines.append(
            f"| POST /contracts/publish, 1 pact, {r['count']} webhooks | {len(r['seconds'])} | "
            f"{ms(p['p50'])} | {ms(p['p95'])} | {ms(p['p99'])} | {_spread(r['statements'])} | "
            f"{_spread(r['messages'])} | flat in N |"
        )
    lines += [
        "",
        "**Delivery** (commit = the publish's after-commit enqueue; times at the sink):",
        "",
        "| Webhooks | runs | commit → first delivery, p50 | commit → last delivery, p50 | p95 | max | "
        "deliveries/s, p50 | duplicates or failures |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if not r["rounds"]:
            continue
        first = percentiles([x["first"] for x in r["rounds"]])
        last = percentiles([x["last"] for x in r["rounds"]])
        rate = percentiles([x["rate"] for x in r["rounds"]])
        worst = max(x["last"] for x in r["rounds"])
        lines.append(
            f"| {r['count']} | {len(r['rounds'])} | {ms(first['p50'])} | **{ms(last['p50'])}** | "
            f"{ms(last['p95'])} | {ms(worst)} | {rate['p50']:.0f} | "
            f"{'; '.join(r['problems']) or 'none'} |"
        )
    if per_delivery is not None:
        lines += [
            "",
            f"One delivery costs the worker {per_delivery} SQL statements besides transaction control "
            f"(claim, read, template parameters, execution log, outcome) in two commits, and one HTTP "
            f"request.",
        ]
    return "\n".join(lines)
