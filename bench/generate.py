"""The `big` tenant (performance-anchors §5.1), generated deterministically and loaded with COPY.

    BENCH_SCALE=1.0 (default; full size: 100,000 versions, 300,000 publications, 15,000 distinct
    contents, 1,000,000 verification results; about 70 s to generate) ... 0.05 for quick runs

Breadth stays at full size at every scale (200 pacticipants: 120 consumers, 50 providers, 30 both; ~600
integrations, one "wide" consumer with 30 providers, one "popular" provider with ~60 consumers, 4 environments,
10 branches per pacticipant); depth (versions per pacticipant, and with it publications, verifications,
deployment history) scales. The "latest" tables (LatestPactPublication, LatestVerification, BranchHead,
CurrentlyDeployedVersion, Integration) are written consistently with the history, sequences are moved past the
generated values, and the schema is ANALYZEd. Idempotent: a schema comment records the scale; a tenant already
at that scale is left alone (benchmarks add a few rows on top, which is fine), otherwise its tables are emptied
and regenerated.
"""

import hashlib
import json
import math
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

SLUG = "big"
SEED = 20240601
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
MARK = f"bench big tenant: scale={SCALE} seed={SEED} v1"

CONSUMERS_ONLY, PROVIDERS_ONLY, BOTH = 120, 50, 30
ENVIRONMENTS = [("development", False), ("test", False), ("staging", False), ("production", True)]
NOW = datetime(2026, 3, 1, tzinfo=UTC)  # fixed so that runs are reproducible; history spans a year

TABLES = [  # emptied (CASCADE) before a regeneration
    "contracts_pacticipant",
    "contracts_version",
    "contracts_branch",
    "contracts_branchversion",
    "contracts_branchhead",
    "contracts_tag",
    "contracts_pactversion",
    "contracts_pactpublication",
    "contracts_latestpactpublication",
    "contracts_integration",
    "verifications_verification",
    "verifications_latestverification",
    "verifications_successfulverificationforprovidertag",
    "environments_environment",
    "environments_deployedversion",
    "environments_currentlydeployedversion",
    "environments_releasedversion",
]


def name_of(i: int) -> str:
    if i < CONSUMERS_ONLY:
        return f"consumer-{i:03d}"
    if i < CONSUMERS_ONLY + PROVIDERS_ONLY:
        return f"provider-{i - CONSUMERS_ONLY:03d}"
    return f"gateway-{i - CONSUMERS_ONLY - PROVIDERS_ONLY:03d}"


def layout() -> dict:
    """Who talks to whom: consumer index -> provider indexes (deterministic)."""
    rng = random.Random(SEED)
    providers = list(range(CONSUMERS_ONLY, CONSUMERS_ONLY + PROVIDERS_ONLY + BOTH))
    consumers = list(range(CONSUMERS_ONLY)) + list(range(CONSUMERS_ONLY + PROVIDERS_ONLY, 200))
    popular = CONSUMERS_ONLY  # provider-000: ~60 consumers
    wide = 0  # consumer-000: 30 providers
    pairs = {}
    for c in consumers:
        pool = [p for p in providers if p != c and p != popular]
        if c >= CONSUMERS_ONLY + PROVIDERS_ONLY:  # gateways consume backend providers only (no cycles)
            pool = [p for p in pool if p < CONSUMERS_ONLY + PROVIDERS_ONLY]
        chosen = rng.sample(pool, 30 if c == wide else 4)
        if c == wide or rng.random() < 0.4:
            chosen = [popular] + chosen[:-1] if c != wide else [popular] + chosen[:29]
        pairs[c] = chosen
    return pairs


def pact_content(consumer: str, provider: str, revision: int, size: int) -> tuple[str, int]:
    """A valid pact of roughly `size` bytes: interactions of ~1 KB each, with `_id`s as stored."""
    count = max(1, size // 1000)
    filler = "x" * 800
    interactions = [
        {
            "_id": hashlib.sha1(f"{consumer}{provider}{revision}{k}".encode()).hexdigest(),
            "description": f"request {k} rev {revision}",
            "providerState": f"state {k % 7}",
            "request": {"method": "GET", "path": f"/things/{k}"},
            "response": {"status": 200, "body": {"id": k, "rev": revision, "pad": filler}},
        }
        for k in range(count)
    ]
    doc = {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }
    return json.dumps(doc), count


def _tenant_schema() -> str:
    from django.db import connection

    from tenants.models import Tenant
    from tenants.services import tenant_provision

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(slug=SLUG).first() or tenant_provision(name="Big", slug=SLUG)
    return tenant.schema_name


def ensure() -> str:
    """Make sure the big tenant holds data at BENCH_SCALE; returns its schema name."""
    from bench.support import database_url, manage

    manage("migrate_schemas", "--noinput", "-v", "0")  # a fresh bench database; a no-op afterwards
    schema = _tenant_schema()
    with psycopg.connect(database_url()) as conn:
        mark = conn.execute("SELECT obj_description(%s::regnamespace, 'pg_namespace')", [schema]).fetchone()[0]
        if mark == MARK:
            print(f"   big tenant already at scale {SCALE}", flush=True)
            return schema
        started = time.monotonic()
        conn.execute(f'SET search_path TO "{schema}"')
        conn.execute("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE")
        counts = _generate(conn)
        conn.execute(f"COMMENT ON SCHEMA \"{schema}\" IS '{MARK}'")
        conn.commit()
    with psycopg.connect(database_url(), autocommit=True) as conn:
        conn.execute(f'SET search_path TO "{schema}"')
        for table in TABLES:
            conn.execute(f"ANALYZE {table}")
    print(f"   generated big tenant at scale {SCALE} in {time.monotonic() - started:.0f} s: {counts}", flush=True)
    return schema


def _generate(conn) -> dict:  # noqa: C901 - one linear script reads best here
    rng = random.Random(SEED + 1)
    pairs = layout()
    per = max(6, round(500 * SCALE))  # versions per pacticipant
    span = timedelta(days=365)
    counts = {}

    def copy(table, columns, rows):
        n = 0
        with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
                n += 1
        counts[table] = n

    # pacticipants
    copy(
        "contracts_pacticipant",
        ["id", "name", "main_branch", "repository_url", "created_at", "updated_at"],
        [(i + 1, name_of(i), "main", f"https://git.example/{name_of(i)}", NOW - span, NOW) for i in range(200)],
    )
    pid = lambda i: i + 1  # noqa: E731

    # versions: `per` per pacticipant, interleaved in time; global order follows time
    versions = {}  # (pacticipant index, k) -> (id, order, created_at)
    vid = 0
    rows = []
    for k in range(per):
        for i in range(200):
            vid += 1
            created = NOW - span + span * (k * 200 + i) / (per * 200)
            versions[(i, k)] = (vid, vid, created)
            rows.append((vid, pid(i), f"1.{k}.0", vid, f"https://ci.example/{i}/{k}", created, created))
    copy(
        "contracts_version",
        ["id", "pacticipant_id", "number", '"order"', "build_url", "created_at", "updated_at"],
        rows,
    )
    conn.execute("SELECT setval('contracts_version_order_seq', %s)", [vid])

    # branches: main + 9 feature branches; every third version on main, the rest spread over features
    branch_names = ["main"] + [f"feat-{b}" for b in range(1, 10)]
    branch_id = {(i, b): i * 10 + b + 1 for i in range(200) for b in range(10)}
    copy(
        "contracts_branch",
        ["id", "pacticipant_id", "name", "created_at", "updated_at"],
        [(branch_id[(i, b)], pid(i), branch_names[b], NOW - span, NOW) for i in range(200) for b in range(10)],
    )
    branch_of = lambda k: 0 if k % 3 == 0 or k == per - 1 else 1 + k % 9  # noqa: E731  (latest is on main)
    heads = {}
    rows = []
    bvid = 0
    for (i, k), (v, order, created) in versions.items():
        bvid += 1
        b = branch_of(k)
        rows.append((bvid, branch_id[(i, b)], v, pid(i), branch_names[b], order, False, created, created))
        heads[(i, b)] = (bvid, v, order) if (i, b) not in heads or heads[(i, b)][2] < order else heads[(i, b)]
    copy(
        "contracts_branchversion",
        [
            "id",
            "branch_id",
            "version_id",
            "pacticipant_id",
            "branch_name",
            "version_order",
            "auto_created",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    copy(
        "contracts_branchhead",
        ["id", "branch_id", "branch_version_id", "version_id", "pacticipant_id", "branch_name"],
        [
            (n + 1, branch_id[(i, b)], bv, v, pid(i), branch_names[b])
            for n, ((i, b), (bv, v, _)) in enumerate(sorted(heads.items()))
        ],
    )

    # tags: two per version
    rows = []
    for (i, k), (v, order, created) in versions.items():
        rows.append((len(rows) + 1, v, "main" if branch_of(k) == 0 else "feature", pid(i), order, created, created))
        rows.append((len(rows) + 1, v, f"build-{k % 50}", pid(i), order, created, created))
    copy(
        "contracts_tag",
        ["id", "version_id", "name", "pacticipant_id", "version_order", "created_at", "updated_at"],
        rows,
    )

    # pacts: each consumer version publishes to all its providers; content changes 5% of the time
    sigma = math.log(50) / 2.326  # median 20 KB, p99 1 MB
    pv_rows, pub_rows = [], []
    current = {}  # (consumer, provider) -> pact version id
    pact_history = {}  # (consumer, provider) -> [(created_at, pact version id)]
    for k in range(per):
        for c, provs in pairs.items():
            v, order, created = versions[(c, k)]
            for p in provs:
                key = (c, p)
                if key not in current or rng.random() < 0.05:
                    size = min(1_000_000, int(20_000 * math.exp(rng.gauss(0, sigma))))
                    content, n = pact_content(name_of(c), name_of(p), len(pv_rows), size)
                    pv_rows.append(
                        (
                            len(pv_rows) + 1,
                            pid(c),
                            pid(p),
                            hashlib.sha1(content.encode()).hexdigest(),
                            content,
                            n,
                            0,
                            created,
                        )
                    )
                    current[key] = len(pv_rows)
                    pact_history.setdefault(key, []).append((created, current[key]))
                pub_rows.append((len(pub_rows) + 1, v, pid(p), pid(c), 1, current[key], order, created))
    copy(
        "contracts_pactversion",
        ["id", "consumer_id", "provider_id", "sha", "content", "interactions_count", "messages_count", "created_at"],
        pv_rows,
    )
    del pv_rows
    copy(
        "contracts_pactpublication",
        [
            "id",
            "consumer_version_id",
            "provider_id",
            "consumer_id",
            "revision_number",
            "pact_version_id",
            "consumer_version_order",
            "created_at",
        ],
        pub_rows,
    )
    copy(
        "contracts_latestpactpublication",
        [
            "id",
            "consumer_version_id",
            "provider_id",
            "consumer_id",
            "pact_publication_id",
            "pact_version_id",
            "consumer_version_order",
            "created_at",
        ],
        [(r[0], r[1], r[2], r[3], r[0], r[5], r[6], r[7]) for r in pub_rows],
    )
    last_pub = {}
    for r in pub_rows:
        last_pub[(r[3], r[2])] = r[7]
    copy(
        "contracts_integration",
        ["id", "consumer_id", "provider_id", "created_at", "contract_data_updated_at"],
        [(n + 1, c, p, NOW - span, at) for n, ((c, p), at) in enumerate(sorted(last_pub.items()))],
    )
    del pub_rows

    # verifications: each provider version verifies the current pact of each of its consumers, `repeat` times
    consumers_of = {}
    for c, provs in pairs.items():
        for p in provs:
            consumers_of.setdefault(p, []).append(c)
    base = sum(len(cs) for cs in consumers_of.values()) * per
    hot_count = round(15_000 * SCALE)
    repeat = max(1, round((1_000_000 * SCALE - hot_count) / base))
    latest_ver = {}

    def verifications():
        number = 0
        for k in range(per):
            for p, cs in consumers_of.items():
                pv_id, _, created = versions[(p, k)]
                for c in cs:
                    hist = pact_history[(c, p)]
                    pact = (
                        next(pvid for at, pvid in reversed(hist) if at <= created)
                        if hist[0][0] <= created
                        else hist[0][1]
                    )
                    for r in range(repeat):
                        number += 1
                        at = created + timedelta(seconds=r)
                        latest_ver[(pact, pv_id)] = (number, pid(c), pid(p), at)
                        yield (
                            number,
                            number,
                            rng.random() < 0.9,
                            pv_id,
                            pact,
                            pid(c),
                            pid(p),
                            at,
                            at,
                            False,
                            branch_of(k) == 0,
                        )
        # the hot pact version (#487): the popular provider's latest version re-verifies one pact 15k times
        p = CONSUMERS_ONLY
        c = consumers_of[p][0]
        pv_id, _, created = versions[(p, per - 1)]
        pact = pact_history[(c, p)][-1][1]
        for r in range(hot_count):
            number += 1
            at = created + timedelta(seconds=repeat + r)
            latest_ver[(pact, pv_id)] = (number, pid(c), pid(p), at)
            yield (number, number, True, pv_id, pact, pid(c), pid(p), at, at, False, True)

    copy(
        "verifications_verification",
        [
            "id",
            "number",
            "success",
            "provider_version_id",
            "pact_version_id",
            "consumer_id",
            "provider_id",
            "execution_date",
            "created_at",
            "wip",
            "pact_pending",
        ],
        verifications(),
    )
    conn.execute("SELECT setval('verifications_number_seq', %s)", [counts["verifications_verification"]])
    copy(
        "verifications_latestverification",
        ["id", "pact_version_id", "provider_version_id", "verification_id", "consumer_id", "provider_id", "created_at"],
        [
            (n + 1, pact, pv, vnum, c, p, at)
            for n, ((pact, pv), (vnum, c, p, at)) in enumerate(sorted(latest_ver.items()))
        ],
    )

    # environments, deployments (history + current), releases
    copy(
        "environments_environment",
        ["id", "uuid", "name", "display_name", "production", "created_at", "updated_at"],
        [
            (e + 1, str(uuid.UUID(int=rng.getrandbits(128))), name, name.title(), prod, NOW - span, NOW)
            for e, (name, prod) in enumerate(ENVIRONMENTS)
        ],
    )
    history = max(1, round(20_000 * SCALE / 800))  # deployments per (pacticipant, environment)
    dep_rows, cur_rows = [], []
    for i in range(200):
        for e in range(4):
            lag = (3 - e) * 2  # production runs a little behind development
            ks = [max(0, per - 1 - lag - 2 * (history - 1 - h)) for h in range(history)]
            for h, k in enumerate(ks):
                v, _, created = versions[(i, k)]
                at = created + timedelta(hours=1 + e)
                last = h == history - 1
                dep_rows.append(
                    (
                        len(dep_rows) + 1,
                        str(uuid.UUID(int=rng.getrandbits(128))),
                        v,
                        pid(i),
                        e + 1,
                        None,
                        False,
                        at,
                        at,
                        None if last else at + timedelta(days=1),
                    )
                )
                if last:
                    cur_rows.append((len(cur_rows) + 1, pid(i), e + 1, "", len(dep_rows), v))
    copy(
        "environments_deployedversion",
        [
            "id",
            "uuid",
            "version_id",
            "pacticipant_id",
            "environment_id",
            "target",
            "auto_created",
            "created_at",
            "updated_at",
            "undeployed_at",
        ],
        dep_rows,
    )
    copy(
        "environments_currentlydeployedversion",
        ["id", "pacticipant_id", "environment_id", "target_for_index", "deployed_version_id", "version_id"],
        cur_rows,
    )
    releases = max(1, round(2_000 * SCALE / 200))  # released versions per pacticipant (to production)
    rel_rows = []
    for i in range(200):
        for h in range(min(releases, per)):
            v, _, created = versions[(i, per - 1 - 3 * h if per - 1 - 3 * h >= 0 else h)]
            rel_rows.append(
                (
                    len(rel_rows) + 1,
                    str(uuid.UUID(int=rng.getrandbits(128))),
                    v,
                    pid(i),
                    4,
                    None if h < 2 else created + timedelta(days=30),
                    created,
                    created,
                )
            )
    copy(
        "environments_releasedversion",
        [
            "id",
            "uuid",
            "version_id",
            "pacticipant_id",
            "environment_id",
            "support_ended_at",
            "created_at",
            "updated_at",
        ],
        rel_rows,
    )

    # identity columns past the generated ids
    for table in TABLES:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"
        )
    return counts


def hot_spots() -> dict:
    """Names the benchmarks use: the typical and wide consumers, the popular provider."""
    pairs = layout()
    typical = next(c for c, ps in pairs.items() if len(ps) == 4)
    return {
        "typical_consumer": name_of(typical),
        "wide_consumer": name_of(0),
        "popular_provider": name_of(CONSUMERS_ONLY),
        "typical_providers": [name_of(p) for p in pairs[typical]],
        "wide_providers": [name_of(p) for p in pairs[0]],
    }


def bench_admin(schema: str):
    """The big tenant's admin user of the benchmarks (made once); call inside no schema context."""
    from django_tenants.utils import schema_context

    from apps.accounts import services as account_services
    from apps.accounts.models import User

    with schema_context(schema):
        return User.objects.filter(email="bench@big.example").first() or account_services.user_create(
            email="bench@big.example",
            name="bench",
            password="correct-horse-battery",
            is_admin=True,
            email_confirmed=True,
        )


def client_for(schema: str):
    """An admin bearer-token django.test.Client on the big tenant's host (user made once)."""
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts import services as account_services

    user = bench_admin(schema)
    with schema_context(schema):
        _, secret = account_services.token_create(user=user, name="bench", read_only=False)
    return lambda: Client(HTTP_HOST=f"{SLUG}.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
