"""Side by side with the open-source Pact Broker: the same data, loaded through each one's API, the same
requests, timed in one run, the ratio per operation (issue 20: the goal is ≤ 0.1× its p50 on every data
operation).

The reference is the broker `../shared/reference-broker/setup.sh` builds and runs (v2.120.0 on Puma,
`REFERENCE_BROKER_URL`, default http://127.0.0.1:9292, no authentication); without it this benchmark
says so and measures nothing. Ours is gunicorn as `make run` starts it (bench/http.py's server), on an
organisation of its own (`sbs`) in the bench database.

The data is generated deterministically and loaded through the public API of each broker, in the same
order: 40 applications (28 consumers, 20 providers, 8 of them both), about 120 integrations, four
environments, ROUNDS rounds in which every consumer publishes a version on main (a feature branch every
fifth round) with its pacts (20 KB each, the content changing every third round), every provider verifies
the latest main pact of each of its consumers, and the latest versions are recorded as deployed
(development and test every fifth round, staging and production every tenth). At the default 45 rounds:
1,260 publications of 5,400 pacts, about 5,400 verification results, 2,000 versions. A broker that
already holds the data (the last round's version of the first consumer exists) is not loaded again.

Requests alternate between the two brokers, one keep-alive connection each, so both see the same load
on the machine; each answer's status is compared (a benchmark of different answers would mean nothing).
"""

import http.client
import json
import os
import random
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode, urlsplit

from bench.broker import publish_body
from bench.http import Server
from bench.support import django_setup, manage, percentiles

NAME = "side_by_side"
TITLE = "Side by side with the open-source Pact Broker (v2.120.0), over HTTP"
REFERENCE_URL = os.environ.get("REFERENCE_BROKER_URL", "http://127.0.0.1:9292")
ROUNDS = int(os.environ.get("BENCH_SBS_ROUNDS", "45"))
RUNS = int(os.environ.get("BENCH_SBS_RUNS", "30"))
LOADERS = int(os.environ.get("BENCH_SBS_LOADERS", "4"))
SLUG = "sbs"
SEED = 20261207

APPLICATIONS = [f"app-{i:02d}" for i in range(40)]
CONSUMERS, PROVIDERS = APPLICATIONS[:28], APPLICATIONS[20:]
ENVIRONMENTS = [("development", False), ("test", False), ("staging", False), ("production", True)]


def layout() -> dict[str, list[str]]:
    """Each consumer's providers: the first is wide (12 providers), the others 3 to 5."""
    rng = random.Random(SEED)
    pairs = {}
    for consumer in CONSUMERS:
        others = [p for p in PROVIDERS if p != consumer]
        count = 12 if consumer == CONSUMERS[0] else rng.randint(3, 5)
        pairs[consumer] = sorted(rng.sample(others, count))
    return pairs


def consumers_of(pairs: dict[str, list[str]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {p: [] for p in PROVIDERS}
    for consumer, providers in pairs.items():
        for provider in providers:
            result[provider].append(consumer)
    return result


def consumer_version(round_: int) -> str:
    return f"1.{round_}.0"


def provider_version(round_: int) -> str:
    return f"2.{round_}.0"


class Broker:
    """One broker over HTTP: a keep-alive connection per thread, bearer token or none."""

    def __init__(self, name: str, host: str, port: int, host_header: str, token: str | None = None):
        self.name, self.host, self.port, self.host_header, self.token = name, host, port, host_header, token
        self._connection = None

    def clone(self) -> "Broker":
        return Broker(self.name, self.host, self.port, self.host_header, self.token)

    def send(self, method: str, path: str, body=None, accept="application/hal+json") -> tuple[int, float, bytes]:
        headers = {"Host": self.host_header, "Accept": accept}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = body if isinstance(body, bytes) else json.dumps(body).encode()
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                started = time.perf_counter()
                self._connection.request(method, path, body=body, headers=headers)
                response = self._connection.getresponse()
                content = response.read()
                return response.status, time.perf_counter() - started, content
            except (http.client.HTTPException, OSError):
                self._connection.close()
                self._connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def ok(self, method: str, path: str, body=None) -> dict:
        status, _, content = self.send(method, path, body)
        if status not in (200, 201):
            raise RuntimeError(f"{self.name}: {method} {path}: HTTP {status}: {content[:300]!r}")
        return json.loads(content) if content else {}


def _path(href: str) -> str:
    parts = urlsplit(href)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def loaded(broker: Broker) -> bool:
    name = CONSUMERS[0]
    status, _, _ = broker.send("GET", f"/pacticipants/{name}/versions/{consumer_version(ROUNDS - 1)}")
    return status == 200


def load(broker: Broker) -> float:
    """Load the data set through the broker's API; returns the seconds it took."""
    started = time.monotonic()
    pairs = layout()
    providers_consumers = consumers_of(pairs)
    existing = broker.ok("GET", "/environments")["_embedded"]["environments"]
    environments = {environment["name"]: environment["uuid"] for environment in existing}
    for name, production in ENVIRONMENTS:
        if name not in environments:
            body = {"name": name, "displayName": name.title(), "production": production}
            environments[name] = broker.ok("POST", "/environments", body)["uuid"]
    local = threading.local()

    def mine() -> Broker:
        if not hasattr(local, "broker"):
            local.broker = broker.clone()
        return local.broker

    def publish(consumer: str, round_: int) -> None:
        body = json.loads(publish_body(consumer, pairs[consumer], consumer_version(round_), f"r{round_ // 3}"))
        if round_ % 5 == 4:
            body["branch"], body["tags"] = f"feat-{round_}", [f"feat-{round_}"]
        mine().ok("POST", "/contracts/publish", body)

    def verify(provider: str, round_: int) -> None:
        rng = random.Random(f"{SEED}-{provider}-{round_}")
        for consumer in providers_consumers[provider]:
            pact = mine().ok("GET", f"/pacts/provider/{quote(provider)}/consumer/{quote(consumer)}/latest/main")
            href = pact["_links"]["pb:publish-verification-results"]["href"]
            mine().ok(
                "POST",
                _path(href),
                {
                    "success": rng.random() < 0.9,
                    "providerApplicationVersion": provider_version(round_),
                    "providerVersionBranch": "main",
                },
            )

    def deploy(name: str, number: str, environment: str) -> None:
        mine().ok(
            "POST",
            f"/pacticipants/{quote(name)}/versions/{quote(number)}/deployed-versions/environment/"
            f"{environments[environment]}",
            {},
        )

    with ThreadPoolExecutor(LOADERS) as pool:
        for round_ in range(ROUNDS):
            list(pool.map(lambda c, r=round_: publish(c, r), CONSUMERS))
            list(pool.map(lambda p, r=round_: verify(p, r), PROVIDERS))
            targets = (["development", "test"] if round_ % 5 == 4 else []) + (
                ["staging", "production"] if round_ % 10 == 9 else []
            )
            jobs = []
            for environment in targets:
                # a feature-branch round: the consumers' main version of the round before is what ships
                jobs += [(c, consumer_version(round_ - 1), environment) for c in CONSUMERS]
                jobs += [(p, provider_version(round_), environment) for p in PROVIDERS if p not in CONSUMERS]
            list(pool.map(lambda job: deploy(*job), jobs))
    return time.monotonic() - started


def operations(pairs: dict[str, list[str]]) -> list[tuple[str, str, str, object]]:
    """(label, method, path, body or a callable making one) of every timed operation."""
    typical = next(c for c in CONSUMERS if len(pairs[c]) == 4)
    wide = CONSUMERS[0]
    first = pairs[typical][0]
    popular = max(PROVIDERS, key=lambda p: len(consumers_of(pairs)[p]))
    last = consumer_version(ROUNDS - 1)

    def publish():
        salt = uuid.uuid4().hex[:8]
        return publish_body(typical, pairs[typical], f"sbs-{salt}", salt).encode()

    return [
        ("GET / (index)", "GET", "/", None),
        ("GET latest pact (20 KB)", "GET", f"/pacts/provider/{quote(first)}/consumer/{quote(typical)}/latest", None),
        ("GET /integrations", "GET", "/integrations", None),
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
                ]
            ),
            None,
        ),
        (
            f"GET /can-i-deploy, typical ({len(pairs[typical])} integrations)",
            "GET",
            "/can-i-deploy?" + urlencode({"pacticipant": typical, "version": last, "environment": "production"}),
            None,
        ),
        (
            f"GET /can-i-deploy, widest ({len(pairs[wide])} integrations)",
            "GET",
            "/can-i-deploy?" + urlencode({"pacticipant": wide, "version": last, "environment": "production"}),
            None,
        ),
        (
            "POST pacts for verification (popular provider, WIP)",
            "POST",
            f"/pacts/provider/{quote(popular)}/for-verification",
            {
                "consumerVersionSelectors": [{"mainBranch": True}, {"deployedOrReleased": True}],
                "providerVersionBranch": "main",
                "includePendingStatus": True,
                "includeWipPactsSince": "2020-01-01",
            },
        ),
        ("POST /contracts/publish (4 pacts)", "POST", "/contracts/publish", publish),
        ("POST verification result", "POST", None, None),  # the path is the latest pact's link, per broker
    ]


def _ours(server_port: int) -> Broker:
    """The `sbs` organisation (made once) and a token of its administrator."""
    from django_tenants.utils import schema_context

    from apps.accounts import services as account_services
    from apps.accounts.models import User
    from tenants.models import Tenant
    from tenants.services import tenant_provision

    tenant = Tenant.objects.filter(slug=SLUG).first() or tenant_provision(name="Side by side", slug=SLUG)
    Tenant.objects.filter(pk=tenant.pk).update(plan="business", seats=10)  # no integration limit
    with schema_context(tenant.schema_name):
        user = User.objects.filter(email="bench@sbs.example").first() or account_services.user_create(
            email="bench@sbs.example", name="bench", password=None, is_admin=True, email_confirmed=True
        )
        _, token = account_services.token_create(user=user, name="bench-sbs", read_only=False)
    return Broker("ours", "127.0.0.1", server_port, f"{SLUG}.localhost", token)


def _reference() -> Broker | None:
    parts = urlsplit(REFERENCE_URL)
    broker = Broker("reference", parts.hostname, parts.port or 80, parts.netloc)
    try:
        status, _, _ = broker.send("GET", "/diagnostic/status/heartbeat")
    except OSError:
        return None
    return broker if status == 200 else None


def _time(brokers: list[Broker], pairs) -> list[str]:
    lines = [
        "| Operation | ours p50 ms | ours p99 ms | reference p50 ms | reference p99 ms | ours / reference (p50) |",
        "|---|---|---|---|---|---|",
    ]
    typical = next(c for c in CONSUMERS if len(pairs[c]) == 4)
    latest_pact = f"/pacts/provider/{quote(pairs[typical][0])}/consumer/{quote(typical)}/latest"
    for label, method, path, body in operations(pairs):
        samples: dict[str, list[float]] = {broker.name: [] for broker in brokers}
        paths = {}
        for broker in brokers:
            if path is None:  # the verification result: each broker's own link
                href = broker.ok("GET", latest_pact)["_links"]["pb:publish-verification-results"]["href"]
                paths[broker.name] = _path(href)
            else:
                paths[broker.name] = path
        statuses: dict[str, set[int]] = {broker.name: set() for broker in brokers}
        for run in range(RUNS + 1):
            for broker in brokers:
                payload = body() if callable(body) else body
                if path is None:
                    payload = {
                        "success": True,
                        "providerApplicationVersion": f"sbs-{run}",
                        "providerVersionBranch": "main",
                    }
                status, elapsed, _ = broker.send(method, paths[broker.name], payload)
                statuses[broker.name].add(status)
                if run:
                    samples[broker.name].append(elapsed)
        if statuses["ours"] != statuses["reference"] or not statuses["ours"] <= {200, 201}:
            raise AssertionError(f"{label}: statuses differ: {statuses}")
        ours, theirs = percentiles(samples["ours"]), percentiles(samples["reference"])
        lines.append(
            f"| {label} | {ours['p50'] * 1000:.1f} | {ours['p99'] * 1000:.1f} | {theirs['p50'] * 1000:.1f} | "
            f"{theirs['p99'] * 1000:.1f} | {ours['p50'] / theirs['p50']:.2f}× |"
        )
    return lines


def run() -> str:
    reference = _reference()
    if reference is None:
        return (
            f"Not measured: no reference broker answers at {REFERENCE_URL} (start it with "
            "`../shared/reference-broker/setup.sh`; `REFERENCE_BROKER_URL` names another)."
        )
    django_setup()
    manage("migrate_schemas", "--noinput", "-v", "0")  # a fresh bench database; a no-op afterwards
    pairs = layout()
    with Server() as server:
        ours = _ours(server.port)
        notes = []
        for broker in (reference, ours):
            if loaded(broker):
                notes.append(f"{broker.name}: data already loaded")
            else:
                notes.append(f"{broker.name}: loaded in {load(broker):.0f} s through its API ({LOADERS} clients)")
        load_before = os.getloadavg()[0]
        lines = _time([ours, reference], pairs)
    integrations = sum(len(p) for p in pairs.values())
    return "\n".join(
        [
            f"The same data in both, loaded through each one's API: {len(APPLICATIONS)} applications, {integrations} "
            f"integrations, {ROUNDS} rounds ({ROUNDS * len(CONSUMERS)} publications of "
            f"{ROUNDS * integrations} pacts, {ROUNDS * integrations} verification results). "
            + "; ".join(notes)
            + f". {RUNS} runs per operation after a warm-up, alternating between the brokers, one keep-alive "
            f"connection each, client and servers on the same {os.cpu_count()}-core machine; load average "
            f"{load_before:.1f} before the timed runs, {os.getloadavg()[0]:.1f} after. Ours: gunicorn as "
            "`make run` starts it. Reference: Puma as `../shared/reference-broker/setup.sh` starts it. Every "
            "answer's status was the same on both.",
            "",
            *lines,
        ]
    )
