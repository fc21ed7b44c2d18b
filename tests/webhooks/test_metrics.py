"""The webhooks app counts its own delivery attempts (apps/webhooks/metrics.py); they reach /-/metrics."""

import pytest
from django_tenants.utils import schema_context

from tests.support.factories import pact_publish
from tests.support.webhook_builders import deliveries_run, webhook_create
from tests.tenants.test_metrics import TOKEN, sample, scrape

pytestmark = pytest.mark.django_db


def test_each_recorded_delivery_attempt_is_counted_by_outcome(acme, client, settings):
    settings.METRICS_TOKEN = TOKEN
    text = scrape(client)
    ok = sample(text, "broker_webhook_deliveries_total", outcome="success") or 0
    failed = sample(text, "broker_webhook_deliveries_total", outcome="failure") or 0

    with schema_context(acme.schema):
        webhook_create(url="https://ci.example.com/hook", events=["contract_published"])
        publication = pact_publish("Foo", "1", "Bar")
        # A failed attempt, then its retry succeeds.
        deliveries_run(event_name="contract_published", pact_publication=publication, answers=(500, 200), retries=1)

    text = scrape(client)
    assert sample(text, "broker_webhook_deliveries_total", outcome="success") == ok + 1
    assert sample(text, "broker_webhook_deliveries_total", outcome="failure") == failed + 1
