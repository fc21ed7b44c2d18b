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


def _committed_org(slug: str, name: str):
    """An organisation for tests whose data a worker process must see (committed, dropped after)."""
    from django.db import connection
    from django_tenants.utils import schema_exists

    from tenants.models import Tenant
    from tests.support.tenancy import org_create

    connection.set_schema_to_public()
    Tenant.objects.filter(schema_name=slug).delete()  # left by a crashed earlier run
    if schema_exists(slug):
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block the drop
            cursor.execute(f'DROP SCHEMA "{slug}" CASCADE')
    return org_create(slug, name=name)


@pytest.fixture
def committed_acme(transactional_db):
    from django.db import connection

    org = _committed_org("acme", "Acme Corp")
    yield org
    connection.set_schema_to_public()
    org.tenant.delete(force_drop=True)


@pytest.fixture
def committed_outsider(transactional_db):
    from django.db import connection

    org = _committed_org("globex", "Globex")
    yield org
    connection.set_schema_to_public()
    org.tenant.delete(force_drop=True)
