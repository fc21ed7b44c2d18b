"""Shared fixtures: organisations (with an outsider), SMTP, a live server and a Celery worker.

Everything runs against the real PostgreSQL (and Redis for Celery). Organisations made inside a
normal `db` test vanish with the test's transaction (schema DDL is transactional); those made for
live-server tests are dropped explicitly.
"""
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

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


@pytest.fixture
def acme(db):
    return org_create("acme", name="Acme Corp")


@pytest.fixture
def outsider(db):
    """A second organisation whose data must never be visible to acme."""
    return org_create("globex", name="Globex")


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker process on a real Redis, against the test database."""
    db_index = 8 + (os.getpid() % 7)
    broker = f"redis://127.0.0.1:6379/{db_index}"
    import redis

    redis.Redis.from_url(broker).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_RESULT_BACKEND": broker,
        "BROKER_DEVELOPMENT": "true",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    from config.celery import app

    app.conf.broker_url = broker
    app.conf.result_backend = broker
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


@pytest.fixture
def broker_urls(settings):
    """Serve the broker index and pacticipant resources (stand-ins until the real ones exist)."""
    from tests.support.broker_stand_ins import e2e_urlconf

    settings.ROOT_URLCONF = e2e_urlconf()
    return settings.ROOT_URLCONF
