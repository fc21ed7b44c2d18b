"""Settings > Data export: administrators ask for an archive, a Celery worker builds it, they download it."""

import io
import json
import tarfile

import pytest
from django_tenants.utils import schema_context

from apps.portability.models import ExportJob
from apps.portability.services.jobs import export_build
from tests.accounts.conftest import member_create
from tests.support import factories
from tests.support.tenancy import org_create
from tests.ui.conftest import signed_in


def _archive_names(content: bytes) -> dict:
    with tarfile.open(fileobj=io.BytesIO(content)) as archive:
        return json.load(archive.extractfile("manifest.json"))


def test_an_administrator_asks_for_an_export_and_downloads_it_once_built(acme, outsider, settings, tmp_path):
    settings.ORGANISATION_EXPORT_DIR = str(tmp_path)
    with schema_context(acme.schema):
        factories.pact_publish("Web", "1.0.0", "API")
    with schema_context(outsider.schema):
        factories.pact_publish("Globex App", "1.0.0", "Globex API")
    admin = signed_in(acme, acme.admin)
    assert admin.get("/settings/data").status_code == 200
    assert admin.post("/settings/data/export").status_code == 302
    with schema_context(acme.schema):
        job = ExportJob.objects.get()
        assert job.status == ExportJob.Status.QUEUED
        # A second request while one is queued is refused politely.
        assert admin.post("/settings/data/export").status_code == 302
        assert ExportJob.objects.count() == 1
        export_build(schema_name=acme.schema, slug="acme", name="Acme Corp", job_uuid=str(job.uuid))  # the task's work
    page = admin.get("/settings/data").content.decode()
    assert f"/settings/data/export/{job.uuid}" in page
    download = admin.get(f"/settings/data/export/{job.uuid}")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="acme-')
    content = b"".join(download.streaming_content)
    manifest = _archive_names(content)
    assert manifest["organisation"] == "acme" and manifest["files"]["data/pacticipants.jsonl"]["rows"] == 2
    assert b"Globex" not in content
    # The outsider's administrator cannot fetch acme's archive from their own host.
    stranger = signed_in(outsider, outsider.admin)
    assert stranger.get(f"/settings/data/export/{job.uuid}").status_code == 404


def test_people_without_the_settings_permission_cannot_export(acme):
    member = member_create(acme, email="dev@acme.example", roles=["user"])
    browser = signed_in(acme, member.user)
    assert browser.get("/settings/data").status_code == 403
    assert browser.post("/settings/data/export").status_code == 403
    with schema_context(acme.schema):
        assert not ExportJob.objects.exists()
    assert signed_in(acme, acme.admin).get("/settings/data/export/not-a-uuid").status_code == 404


@pytest.fixture
def celery_worker_env(tmp_path):
    return {"ORGANISATION_EXPORT_DIR": str(tmp_path / "exports")}


@pytest.fixture
def live_org(transactional_db):
    org = org_create("exporter")
    yield org
    org.tenant.delete(force_drop=True)


def test_a_celery_worker_builds_the_archive(celery_worker, live_org, tmp_path):
    from apps.portability.tasks import export

    with schema_context(live_org.schema):
        factories.pact_publish("Web", "1.0.0", "API")
        job = ExportJob.objects.create(requested_by=live_org.admin)
    assert export.delay(live_org.schema, str(job.uuid)).get(timeout=60) == "ready"
    with schema_context(live_org.schema):
        job.refresh_from_db()
        assert job.status == ExportJob.Status.READY and job.size_bytes > 0
    built = tmp_path / "exports" / live_org.schema / f"{job.uuid}.tar.gz"
    assert _archive_names(built.read_bytes())["organisation"] == "exporter"
