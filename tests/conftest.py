"""Shared fixtures: organisations (with an outsider), SMTP, a live server and a Celery worker.

Everything runs against the real PostgreSQL (and Redis for Celery). `acme` and `outsider` are made
per test from the test database's spare schemas (tests/support/spare_pool.py explains why that is
cheap); anything a test writes is rolled back with its own transaction. Organisations made for
live-server and worker tests are committed and dropped explicitly.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.support.processes import free_port  # noqa: F401  (re-exported: tests import it from here)
from tests.support.smtp import SmtpServer
from tests.support.tenancy import org_create

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    connection.set_schema_to_public()
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Every organisation a test makes is a cloned schema (tables, indexes, constraints), and rolling it back
# leaves dead rows in PostgreSQL's catalogs. With autovacuum off (as on our CI machines) they pile up,
# and cloning, which reads the catalogs, slows down test after test (78 s per clone at the end of a
# run, against 1.5 s at its start). So the catalogs are vacuumed after each module: cheap, and it keeps
# their size flat.
_CATALOGS = (
    "pg_class",
    "pg_attribute",
    "pg_attrdef",
    "pg_constraint",
    "pg_depend",
    "pg_index",
    "pg_type",
    "pg_sequence",
    "pg_namespace",
    "pg_trigger",
    "pg_description",
    "pg_statistic",
    "pg_rewrite",
    "pg_inherits",
    "pg_init_privs",
)


@pytest.fixture(scope="module", autouse=True)
def _vacuum_catalogs(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        if connection.in_atomic_block:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {', '.join('pg_catalog.' + name for name in _CATALOGS)}")


def _is_transactional(request) -> bool:
    """The same decision pytest-django makes for a test's database access."""
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    if marker and marker.kwargs.get("reset_sequences"):
        return True
    return "transactional_db" in request.fixturenames or "live_server" in request.fixturenames


@pytest.fixture
def _spare_pool_ready(django_db_setup, django_db_blocker):
    """Top up the test database's spare schemas (tests/support/spare_pool.py) before the test's
    transaction opens: a no-op unless an earlier test committed an organisation."""
    from tests.support.spare_pool import spare_pool_fill

    with django_db_blocker.unblock():
        spare_pool_fill()


@pytest.fixture
def _django_db_helper(_spare_pool_ready, _django_db_helper):
    """pytest-django's own helper (the test's transaction), run once the spare pool is ready."""
    yield


@pytest.fixture
def spares_parked(request, db):
    """For tests about the spare pool itself: the suite's own spares are hidden during the test."""
    from tests.support.spare_pool import spares_parked

    with spares_parked(restore=_is_transactional(request)):
        yield


def _org(request, slug: str, name: str):
    org = org_create(slug, name=name)
    yield org
    if _is_transactional(request):  # committed: drop it (a flush removes the row, not the schema)
        connection.set_schema_to_public()
        org.tenant.delete(force_drop=True)


@pytest.fixture
def acme(request, db):
    yield from _org(request, "acme", "Acme Corp")


@pytest.fixture
def outsider(request, db):
    """A second organisation whose data must never be visible to acme."""
    yield from _org(request, "globex", "Globex")


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    yield server
    server.stop()


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_env():
    """Extra environment for the worker process; test modules override this fixture to configure
    the worker (it is a separate process, so the `settings` fixture does not reach it)."""
    return {}


@pytest.fixture
def celery_worker(transactional_db, celery_worker_env):
    """A real Celery worker process on a real Redis, against the test database (its output goes to
    var/celery-worker-<pid>.log)."""
    from django.conf import settings

    broker = settings.CELERY_BROKER_URL
    import redis

    redis.Redis.from_url(broker).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "BROKER_DEVELOPMENT": "true",
        **celery_worker_env,
    }
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / f"celery-worker-{os.getpid()}.log", "ab")  # closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    from config.celery import app

    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if app.control.ping(timeout=0.5):
                break
        else:
            raise RuntimeError("Celery worker did not start")
        yield app
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture
def live_acme(transactional_db, live_server):
    """acme on the live server: (org, base URL). Its schema is dropped afterwards."""
    from tests.support.live import live_org_create, live_org_drop

    org = live_org_create("acme")
    port = live_server.url.rsplit(":", 1)[1]
    yield org, f"http://{org.host}:{port}"
    live_org_drop(org)


@pytest.fixture
def pact_cli(live_acme):
    """The official Pact CLI pointed at acme on the live server with the admin's read-write token."""
    from tests.support.live import PactCli

    org, base_url = live_acme
    return PactCli(base_url=base_url, token=org.token)
