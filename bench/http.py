"""Over HTTP, as users see it: the real server (gunicorn as `make run` starts it), keep-alive clients.

The other benchmarks time requests in-process (django.test.Client); this one leaves nothing out: the
HTTP server, keep-alive, serialisation to the socket, and concurrency. It starts gunicorn with
deploy/gunicorn.conf.py on the bench database (the generated `big` tenant) with SERVER_TIMING on, so
every answer carries the server's own measure of itself (`Server-Timing: app, cpu, sql`): wall time
in the application, CPU time of the request's thread, and SQL statements. Two runs:

- **Sequential**: each operation RUNS times over one keep-alive connection; p50/p95/p99 as the
  client sees it, statements and server CPU per request from Server-Timing.
- **Concurrent**: CLIENTS keep-alive clients (threads) for DURATION seconds with a CI-like mix
  (70% reads, 20% publishes and verification results, 10% can-i-deploy): throughput, latency
  percentiles and errors.

The machine's load average is sampled before and after each run: figures from a busy machine are
upper bounds.
"""

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import generate
from bench.broker import publish_body
from bench.support import django_setup, percentiles

NAME = "http"
TITLE = "Over HTTP: gunicorn, keep-alive clients, concurrency"
RUNS = int(os.environ.get("BENCH_HTTP_RUNS", "100"))
CLIENTS = int(os.environ.get("BENCH_HTTP_CLIENTS", "16"))
DURATION = float(os.environ.get("BENCH_HTTP_SECONDS", "60"))
ROOT = Path(__file__).resolve().parent.parent
HOST = f"{generate.SLUG}.localhost"
_TIMING = re.compile(r'(\w+);(?:dur=([\d.]+)|desc="?(\d+)"?)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on the bench database, as `make run` starts it (deploy/gunicorn.conf.py)."""

    def __init__(self):
        self.port = _free_port()
        self.process = None

    def __enter__(self):
        env = {**os.environ, "SERVER_TIMING": "true", "PYTHONUNBUFFERED": "1"}
        log = open(ROOT / "var" / "bench-gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "/dev/null",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz", headers={"Host": HOST})
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start (var/bench-gunicorn.log)")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Client:
    """One keep-alive connection; every answer's status, latency and Server-Timing recorded."""

    def __init__(self, port: int, token: str | None = None, cookie: str | None = None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Host": HOST, "Accept": "application/hal+json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if cookie:
            self.headers["Cookie"] = cookie

    def send(self, method: str, path: str, body: bytes | None = None, **headers) -> tuple[int, float, dict]:
        headers = {**self.headers, **headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        self.last_body = response.read()
        elapsed = time.perf_counter() - started
        header = response.getheader("Server-Timing", "")
        timing = {name: float(dur or desc) for name, dur, desc in _TIMING.findall(header)}
        return response.status, elapsed, timing


def _publish_body(consumer: str, providers: list[str]) -> bytes:
    """A publication of a new version of `consumer` (bench/broker.py's pacts), different each call."""
    salt = uuid.uuid4().hex[:8]
    return publish_body(consumer, providers, f"http-{salt}", salt).encode()


def _credentials(schema: str) -> tuple[str, str]:
    """The bench admin's read-write token and a session cookie for the UI pages."""
    from django.conf import settings
    from django.test import Client as DjangoClient
    from django_tenants.utils import schema_context

    from apps.accounts import services as account_services

    user = generate.bench_admin(schema)
    with schema_context(schema):
        _, token = account_services.token_create(user=user, name="bench-http", read_only=False)
        browser = DjangoClient(HTTP_HOST=HOST)
        browser.force_login(user)
    return token, f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


def _operations(schema: str, client: Client) -> list[tuple[str, str, str, object, str]]:
    """(label, method, path, body or a callable making one, accept) for every timed operation."""
    from bench.matrix import latest_version

    spots = generate.hot_spots()
    typical, wide, provider = spots["typical_consumer"], spots["wide_consumer"], spots["popular_provider"]
    first = spots["typical_providers"][0]
    latest_pact = f"/pacts/provider/{quote(first)}/consumer/{quote(typical)}/latest"
    status, _, _ = client.send("GET", latest_pact)
    assert status == 200, f"latest pact: HTTP {status}"
    pact = json.loads(client.last_body)
    verification_href = pact["_links"]["pb:publish-verification-results"]["href"].split(HOST, 1)[-1]
    hal, html = "application/hal+json", "text/html"
    return [
        ("GET / (index)", "GET", "/", None, hal),
        ("GET latest pact", "GET", latest_pact, None, hal),
        ("GET /integrations", "GET", "/integrations", None, hal),
        (
            "GET /matrix (two selectors, latestby=cvp)",
            "GET",
            "/matrix?"
            + urlencode(
                [
                    ("q[][pacticipant]", typical),
                    ("q[][latest]", "true"),
                    ("q[][pacticipant]", first),
                    ("q[][latest]", "true"),
                    ("latestby", "cvp"),
                    ("limit", "100"),
                ]
            ),
            None,
            hal,
        ),
        (
            "GET /can-i-deploy, typical (4 integrations)",
            "GET",
            "/can-i-deploy?"
            + urlencode(
                {"pacticipant": typical, "version": latest_version(schema, typical), "environment": "production"}
            ),
            None,
            hal,
        ),
        (
            "GET /can-i-deploy, widest (30 integrations)",
            "GET",
            "/can-i-deploy?"
            + urlencode({"pacticipant": wide, "version": latest_version(schema, wide), "environment": "production"}),
            None,
            hal,
        ),
        (
            "POST pacts for verification (popular provider, WIP)",
            "POST",
            f"/pacts/provider/{quote(provider)}/for-verification",
            json.dumps(
                {
                    "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
                    "providerVersionBranch": "main",
                    "includePendingStatus": True,
                    "includeWipPactsSince": "2020-01-01",
                }
            ).encode(),
            hal,
        ),
        (
            "POST /contracts/publish (4 pacts)",
            "POST",
            "/contracts/publish",
            lambda: _publish_body(typical, spots["typical_providers"]),
            hal,
        ),
        (
            "POST verification result",
            "POST",
            verification_href,
            json.dumps(
                {"success": True, "providerApplicationVersion": "http-bench", "providerVersionBranch": "main"}
            ).encode(),
            hal,
        ),
        ("UI dashboard", "GET", "/dashboard", None, html),
        ("UI network diagram", "GET", "/ui/network", None, html),
        ("UI contract page", "GET", f"/ui/pacts/provider/{quote(first)}/consumer/{quote(typical)}", None, html),
        ("UI matrix page", "GET", "/ui/matrix?" + urlencode({"pacticipant": typical}), None, html),
    ]


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _sequential(port: int, token: str, cookie: str, schema: str) -> list[str]:
    api, browser = Client(port, token=token), Client(port, cookie=cookie)
    lines = [
        "| Operation | runs | p50 ms | p95 ms | p99 ms | server CPU p50 ms | SQL statements |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, method, path, body, accept in _operations(schema, api):
        client = browser if accept == "text/html" else api
        expected = {"POST": (200, 201)}.get(method, (200,))
        samples, cpu, sql = [], [], []
        for attempt in range(RUNS + 1):
            payload = body() if callable(body) else body
            status, elapsed, timing = client.send(method, path, payload, Accept=accept)
            if status not in expected:
                raise AssertionError(f"{label}: HTTP {status}")
            if attempt:  # the first is a warm-up
                samples.append(elapsed)
                cpu.append(timing.get("cpu", 0) / 1000)
                sql.append(int(timing.get("sql", 0)))
        p = percentiles(samples)
        statements = str(sql[0]) if min(sql) == max(sql) else f"{min(sql)}–{max(sql)}"
        lines.append(
            f"| {label} | {len(samples)} | {_fmt(p['p50'])} | {_fmt(p['p95'])} | {_fmt(p['p99'])} | "
            f"{_fmt(percentiles(cpu)['p50'])} | {statements} |"
        )
    return lines


def _concurrent(port: int, token: str, schema: str) -> list[str]:
    probe = Client(port, token=token)
    operations = {
        label: (method, path, body)
        for label, method, path, body, accept in _operations(schema, probe)
        if accept != "text/html"
    }
    reads = [label for label in operations if label.startswith("GET") and "can-i-deploy" not in label]
    reads.append("POST pacts for verification (popular provider, WIP)")
    writes = ["POST /contracts/publish (4 pacts)", "POST verification result"]
    deploys = [label for label in operations if "can-i-deploy" in label]
    results: list[tuple[float, bool]] = []
    lock = threading.Lock()
    stop = time.monotonic() + DURATION

    def worker(seed: int):
        rng = random.Random(seed)
        client, mine = Client(port, token=token), []
        while time.monotonic() < stop:
            roll = rng.random()
            label = rng.choice(reads if roll < 0.7 else writes if roll < 0.9 else deploys)
            method, path, body = operations[label]
            try:
                status, elapsed, _ = client.send(method, path, body() if callable(body) else body)
                mine.append((elapsed, status in (200, 201)))
            except (OSError, http.client.HTTPException):
                mine.append((0.0, False))
                client = Client(port, token=token)
        with lock:
            results.extend(mine)

    load_before = os.getloadavg()[0]
    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies = [seconds for seconds, good in results if good]
    errors = sum(1 for _, good in results if not good)
    p = percentiles(latencies)
    return [
        f"{CLIENTS} keep-alive clients for {elapsed:.0f} s, mix 70% reads / 20% publishes and verification results / "
        f"10% can-i-deploy; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.",
        "",
        "| requests | throughput | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
        f"| {len(results)} | {len(results) / elapsed:.0f} req/s | {_fmt(p['p50'])} | {_fmt(p['p95'])} | "
        f"{_fmt(p['p99'])} | {errors} |",
    ]


def run() -> str:
    django_setup()
    schema = generate.ensure()
    token, cookie = _credentials(schema)
    (ROOT / "var").mkdir(exist_ok=True)
    with Server() as server:
        load = os.getloadavg()[0]
        sequential = _sequential(server.port, token, cookie, schema)
        concurrent = _concurrent(server.port, token, schema)
    workers, threads = os.environ.get("WEB_WORKERS", "2"), os.environ.get("WEB_THREADS", "4")
    return "\n".join(
        [
            f"gunicorn (deploy/gunicorn.conf.py: {workers} workers × {threads} threads, gthread) on the `big` tenant "
            f"(BENCH_SCALE={generate.SCALE}); client and server on the same {os.cpu_count()}-core machine. Load "
            f"average before the sequential run: {load:.1f}. Server CPU and statements come from the server's own "
            "`Server-Timing` header (SERVER_TIMING=true; statements include `SET search_path`).",
            "",
            "### Sequential, one keep-alive connection",
            "",
            *sequential,
            "",
            "### Concurrent",
            "",
            *concurrent,
        ]
    )
