"""Webhook test fixtures: a local receiver, and settings that let webhooks reach it.

The SSRF guard refuses 127.0.0.1 by default; the host whitelist is how tests permit it, in the
test process (`settings`) and in the worker process (`celery_worker_env`) alike.
"""
import pytest

from tests.support.receiver import Receiver

LOCAL_WEBHOOKS_ENV = {
    "PACT_BROKER_WEBHOOK_HOST_WHITELIST": "127.0.0.1",
    "PACT_BROKER_WEBHOOK_SCHEME_WHITELIST": "http https",
    "PACT_BROKER_WEBHOOK_RETRY_SCHEDULE": "0.2 0.2",
    "WEBHOOK_TIMEOUT": "1",
    "WEBHOOK_CONNECT_TIMEOUT": "1",
}


@pytest.fixture
def celery_worker_env():
    return dict(LOCAL_WEBHOOKS_ENV)


@pytest.fixture
def local_webhooks(settings):
    settings.WEBHOOK_HOST_WHITELIST = ["127.0.0.1"]
    settings.WEBHOOK_SCHEME_WHITELIST = ["http", "https"]
    settings.WEBHOOK_RETRY_SCHEDULE = [0.2, 0.2]
    settings.WEBHOOK_TIMEOUT = 1.0
    settings.WEBHOOK_CONNECT_TIMEOUT = 1.0
    return settings


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()
