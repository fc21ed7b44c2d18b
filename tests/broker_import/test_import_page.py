"""Settings > Import: administrators only, runs queued for a Celery worker, progress and errors
shown, cancellable; one organisation never sees another's imports."""

import pytest
from django_tenants.utils import schema_context

from apps.broker_import.models import ImportRun
from apps.broker_import.tasks import broker_import_run
from tests.ui.conftest import member, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(acme):
    return signed_in(acme, acme.admin)


def test_an_administrator_sees_the_import_page_in_settings(admin):
    settings_index = admin.get("/settings")
    page = admin.get("/settings/import")

    assert 'href="/settings/import"' in settings_index.content.decode()
    assert page.status_code == 200
    assert "<h1>Import from a Pact Broker</h1>" in page.content.decode()


def test_a_user_without_settings_manage_may_not_open_it(acme):
    user = signed_in(acme, member(acme, email="dev@acme.example", role="user"))

    response = user.get("/settings/import")
    refused = user.post("/settings/import", {"source_url": "https://broker.example.com"})

    assert response.status_code == 403 and refused.status_code == 403
    with schema_context(acme.schema):
        assert ImportRun.objects.count() == 0


def test_starting_an_import_queues_it_and_the_worker_reports_a_refused_private_source(
    acme, outsider, admin, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(broker_import_run, "delay", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post("/settings/import", {"source_url": "http://127.0.0.1:9/", "token": "tok"})

    assert response.status_code == 302 and response["Location"] == "/settings/import"
    with schema_context(acme.schema):
        run = ImportRun.objects.get()
        assert run.status == ImportRun.Status.QUEUED and run.source_url == "http://127.0.0.1:9"
    assert queued == [(acme.schema, run.pk, "tok", None, None)]

    # The worker's run (SaaS: a private address is refused unless an operator allows it).
    broker_import_run(acme.schema, run.pk, "tok", None, None)

    page = admin.get("/settings/import").content.decode()
    assert "Failed" in page
    assert "Cannot read the source broker at http://127.0.0.1:9: Refused: 127.0.0.1 resolves to 127.0.0.1" in page
    assert "tok" not in page.replace("token", "")
    with schema_context(outsider.schema):
        assert ImportRun.objects.count() == 0
    outsider_page = signed_in(outsider, outsider.admin).get("/settings/import").content.decode()
    assert "127.0.0.1:9" not in outsider_page


def test_a_queued_import_can_be_cancelled_and_a_second_start_is_refused_while_one_runs(acme, admin, monkeypatch):
    monkeypatch.setattr(broker_import_run, "delay", lambda *args: None)
    with schema_context(acme.schema):
        run = ImportRun.objects.create(source_url="https://old-broker.example.com", status=ImportRun.Status.RUNNING)

    refused = admin.post("/settings/import", {"source_url": "https://other.example.com"})
    cancelled = admin.post("/settings/import", {"action": "cancel", "run": str(run.pk)})

    assert refused.status_code == 400
    assert "An import is already running: cancel it or wait for it to finish." in refused.content.decode()
    assert cancelled.status_code == 302
    with schema_context(acme.schema):
        run.refresh_from_db()
        assert run.cancel_requested is True


def test_the_form_needs_a_url_and_one_kind_of_credentials(admin):
    response = admin.post(
        "/settings/import", {"source_url": "https://old.example.com", "token": "t", "username": "u", "password": "p"}
    )

    assert response.status_code == 400
    assert "Give a token or a username and password, not both." in response.content.decode()
