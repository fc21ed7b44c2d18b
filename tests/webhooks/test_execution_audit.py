"""Webhook deliveries and test runs are audited: which webhook, which attempt, the outcome; never the
request's credentials."""

import json

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEvent
from apps.webhooks.services import execution, webhooks_trigger
from tests.support.factories import pact_publish
from tests.support.webhook_builders import webhook_create

pytestmark = pytest.mark.django_db


def test_a_delivery_attempt_is_audited_as_the_brokers_own(acme, local_webhooks, receiver, monkeypatch):
    monkeypatch.setattr("apps.webhooks.services.deliveries.triggered_webhooks_enqueue", lambda **kwargs: None)
    with schema_context(acme.schema):
        webhook = webhook_create(url=receiver.url(), events=["contract_published"])
        publication = pact_publish("Foo", "1", "Bar")
        row = webhooks_trigger(event_name="contract_published", pact_publication=publication)[0]
        AuditEvent.objects.all().delete()

        assert execution.triggered_webhook_execute(uuid=row.uuid) == "success"

        [entry] = AuditEvent.objects.all()
    assert (entry.action, entry.target_type, entry.target_id) == (
        "webhook_execution.succeeded",
        "webhook",
        webhook.uuid,
    )
    assert entry.details == {
        "triggeredWebhook": row.uuid,
        "event": "contract_published",
        "attempt": 1,
        "status": 200,
        "outcome": "success",
    }
    assert (entry.actor_id, entry.actor_kind) == (None, "system")


def test_a_test_run_through_the_api_is_audited_with_who_ran_it(acme, local_webhooks, receiver):
    with schema_context(acme.schema):
        webhook = webhook_create(
            url=receiver.url(), events=["contract_published"], headers={"Authorization": "Bearer run-secret-1"}
        )
        AuditEvent.objects.all().delete()

    response = acme.client(REMOTE_ADDR="192.0.2.8").post(f"/webhooks/{webhook.uuid}/execute")

    assert response.status_code == 200
    with schema_context(acme.schema):
        [entry] = AuditEvent.objects.all()
    assert (entry.action, entry.target_id, entry.actor_email, entry.ip) == (
        "webhook.executed",
        webhook.uuid,
        acme.admin.email,
        "192.0.2.8",
    )
    assert entry.details == {"test": True, "success": True, "status": 200}
    assert "run-secret-1" not in json.dumps(entry.details)
