"""Behind PgBouncer in transaction pooling mode, organisations stay apart (DATABASE_POOLER=transaction).

A real PgBouncer (Debian's package) in transaction mode with a pool of two server connections sits
between gunicorn and the test database. First the pitfall itself, with plain connections: a session
`SET search_path` made by one client is what another client's statement runs with. Then the product:
three organisations, each with its own applications, read and written by twelve concurrent clients
through one gunicorn (one process, eight threads, so Django connections outnumber the server
connections); every answer must be the asking organisation's own, and nothing may fail.
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.support.gunicorn import Gunicorn, request
from tests.support.processes import free_port
from tests.support.tenancy import org_create

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not shutil.which("pgbouncer") and not Path("/usr/sbin/pgbouncer").exists(),
        reason="PgBouncer is not installed (.ci/run installs Debian's package)",
    ),
]

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
SLUGS = ("north", "south", "east")


@pytest.fixture
def pgbouncer():
    """PgBouncer in transaction mode in front of the local PostgreSQL; yields its URL."""
    # Not under pytest's private temporary folder: PgBouncer drops root for the postgres user,
    # which must read its files and write its log here.
    directory = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    directory.chmod(0o777)
    port = free_port()
    db = connection.settings_dict
    (directory / "users.txt").write_text(f'"{db["USER"]}" ""\n')
    (directory / "pgbouncer.ini").write_text(f"""[databases]
* = host={db["HOST"] or "127.0.0.1"} port={db["PORT"] or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {directory / "users.txt"}
pool_mode = transaction
default_pool_size = 2
max_client_conn = 200
ignore_startup_parameters = extra_float_digits,options
logfile = {directory / "pgbouncer.log"}
""")
    for name in ("users.txt", "pgbouncer.ini"):
        (directory / name).chmod(0o644)
    command = [PGBOUNCER, str(directory / "pgbouncer.ini")]
    if os.geteuid() == 0:
        command[1:1] = ["-u", "postgres"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"postgresql://{db['USER']}@127.0.0.1:{port}/{db['NAME']}"
    deadline = time.monotonic() + 20
    while True:
        try:
            psycopg.connect(url, prepare_threshold=None).close()
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


def test_the_pitfall_a_session_search_path_reaches_another_client(pgbouncer):
    with (
        psycopg.connect(pgbouncer, autocommit=True, prepare_threshold=None) as first,
        psycopg.connect(pgbouncer, autocommit=True, prepare_threshold=None) as second,
    ):
        first.execute("SET search_path = first_org")
        second.execute("SET search_path = second_org")
        seen = {first.execute("SHOW search_path").fetchone()[0] for _ in range(20)}

    assert "second_org" in seen  # the first client ran with the second one's organisation


@pytest.fixture
def pooled_server(pgbouncer):
    """gunicorn (one process, eight threads) with DATABASE_POOLER=transaction through PgBouncer."""
    server = Gunicorn(env={"DATABASE_URL": pgbouncer, "DATABASE_POOLER": "transaction"}, threads=8).start()
    yield server.port
    server.stop()


@pytest.fixture
def three_orgs():
    orgs = [org_create(slug) for slug in SLUGS]
    yield orgs
    connection.set_schema_to_public()
    for org in orgs:
        org.tenant.delete(force_drop=True)


def _request(port: int, org, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    status, raw = request(
        port, org.host, method, path, token=org.token, body=None if body is None else json.dumps(body).encode()
    )
    return status, json.loads(raw) if raw else {}


def test_concurrent_clients_of_three_organisations_only_ever_see_their_own(pooled_server, three_orgs):
    problems: list[str] = []

    def client(org, number: int):
        for round_ in range(15):
            name = f"{org.tenant.slug}-app-{number}-{round_}"
            status, _ = _request(pooled_server, org, "POST", "/pacticipants", {"name": name})
            if status != 201:
                problems.append(f"{org.tenant.slug}: POST {name} answered {status}")
            status, body = _request(pooled_server, org, "GET", "/pacticipants?size=1000")
            names = [item["name"] for item in body.get("_embedded", {}).get("pacticipants", [])]
            foreign = [n for n in names if not n.startswith(f"{org.tenant.slug}-")]
            if status != 200 or foreign or name not in names:
                problems.append(
                    f"{org.tenant.slug}: GET answered {status}, foreign {foreign[:3]}, own missing: {name not in names}"
                )

    threads = [threading.Thread(target=client, args=(org, n)) for org in three_orgs for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert problems == []
    for org in three_orgs:  # and what was written is where it belongs, all of it
        status, body = _request(pooled_server, org, "GET", "/pacticipants?size=1000")
        assert status == 200
        assert len(body["_embedded"]["pacticipants"]) == 4 * 15
