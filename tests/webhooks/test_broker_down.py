"""When the message broker cannot take the event's message, the publish still records its triggered
webhooks (after commit, in the request) for the requeue sweep to deliver: the event is not lost."""
import pytest
from django_tenants.utils import schema_context
from kombu.exceptions import OperationalError

from apps.webhooks import tasks
from apps.webhooks.models import TriggeredWebhook
from tests.support.pacts import pact_fixture, pact_put
from tests.support.webhook_builders import webhook_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.contract_published_handle, "delay", refuse)
    monkeypatch.setattr(tasks.webhook_deliver, "apply_async", refuse)


def test_a_publish_records_its_triggered_webhooks_when_the_event_cannot_be_queued(
        acme, broker_down, django_capture_on_commit_callbacks):
    with schema_context(acme.schema):
        webhook_create(url="https://ci.example.org/build", events=["contract_published"])

    with django_capture_on_commit_callbacks(execute=True):
        response = pact_put(acme.client(), pact_fixture("foo-bar"), version="1")

    assert response.status_code == 201
    with schema_context(acme.schema):
        triggered = list(TriggeredWebhook.objects.values_list("event_name", "status"))
    assert triggered == [("contract_published", "not_run")]  # left for the sweep, nothing sent
