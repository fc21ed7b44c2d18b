"""A real Celery worker (on Redis) runs tenant tasks inside the tenant they name."""

import pytest

from tests.support.tenancy import org_create


@pytest.fixture
def two_orgs(transactional_db):
    orgs = [org_create("acme"), org_create("globex")]
    yield orgs
    for org in orgs:
        org.tenant.delete(force_drop=True)


def test_a_worker_task_runs_in_the_schema_it_is_given(celery_worker, two_orgs):
    from tenants.tasks import tenant_ping

    acme, globex = two_orgs

    assert tenant_ping.delay(acme.schema).get(timeout=30) == {"schema": "acme", "users": ["admin@acme.example"]}
    assert tenant_ping.delay(globex.schema).get(timeout=30) == {"schema": "globex", "users": ["admin@globex.example"]}


def test_a_task_for_an_organisation_deleted_since_it_was_queued_is_dropped(celery_worker, two_orgs):
    from tenants.tasks import tenant_ping

    assert tenant_ping.delay("deleted_org").get(timeout=30) is None  # no error, no fall-through to public


def test_a_task_carries_the_request_id_of_the_request_that_queued_it(celery_worker, two_orgs):
    from apps.core.log_context import current_request_id
    from tenants.tasks import context_ping

    acme, _ = two_orgs
    token = current_request_id.set("req-from-web-1")
    try:
        result = context_ping.delay(acme.schema)
    finally:
        current_request_id.reset(token)

    assert result.get(timeout=30) == {"organisation": "acme", "request_id": "req-from-web-1"}
    assert context_ping.delay(acme.schema).get(timeout=30) == {"organisation": "acme", "request_id": "-"}


def test_every_task_has_a_soft_time_limit_below_its_hard_one():
    from config.celery import app

    app.loader.import_default_modules()  # what a worker imports at start: every app's tasks module
    ours = {
        name: task for name, task in app.tasks.items() if not name.startswith(("celery.", "tests."))
    }  # Celery's own, and those tests define
    assert {"webhooks.deliver", "tenants.spares_fill", "provider_contracts.compare_pact"} <= set(ours)

    unbounded = {
        name: (task.soft_time_limit, task.time_limit)
        for name, task in ours.items()
        if not (task.soft_time_limit and task.time_limit and task.soft_time_limit < task.time_limit)
    }
    assert unbounded == {}


def test_a_webhook_delivery_is_stopped_before_its_lease_ends():
    from apps.webhooks.services.execution import _lease_seconds
    from apps.webhooks.tasks import webhook_deliver

    assert webhook_deliver.time_limit <= _lease_seconds()
