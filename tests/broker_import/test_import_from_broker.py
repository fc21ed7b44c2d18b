"""Issue 18 item 1: import from a running broker, end to end.

The source is a second server of ours (gunicorn, self-hosted mode, HTTP Basic auth) filled through
the official Pact CLI (and a verifier's POST of results); `manage.py broker_import` copies it into
an organisation, which must then answer as the source does."""

import io

import pytest
import requests
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.broker_import.importer import run_import
from apps.broker_import.models import ImportRun
from apps.broker_import.services import import_run_start
from apps.contracts.models import BranchHead, Pacticipant, PactPublication, PactVersion, Tag, Version
from apps.environments.models import CurrentlyDeployedVersion, DeployedVersion, ReleasedVersion
from apps.verifications.models import Verification
from apps.webhooks.models import Webhook
from tests.support.celery_workers import Worker, broker_flush
from tests.support.gunicorn import Gunicorn
from tests.support.live import PactCli, live_org_create, live_org_drop
from tests.support.pacts import FIXTURES

pytestmark = pytest.mark.e2e

USER, PASSWORD = "pb-admin", "pb-admin-password"


@pytest.fixture
def source_broker(transactional_db):
    source, target, other = live_org_create("imp-src"), live_org_create("imp-dst"), live_org_create("imp-other")
    server = Gunicorn(
        env={
            "BROKER_SINGLE_TENANT": "true",
            "BROKER_SINGLE_TENANT_SCHEMA": source.tenant.schema_name,
            "PACT_BROKER_ALLOW_ANY_HOST": "true",
            "PACT_BROKER_BASIC_AUTH_USERNAME": USER,
            "PACT_BROKER_BASIC_AUTH_PASSWORD": PASSWORD,
        },
        threads=8,
    ).start()
    url = f"http://127.0.0.1:{server.port}"
    try:
        yield url, source, target, other
    finally:
        server.stop()
        for org in (source, target, other):
            live_org_drop(org)


def _fill(url: str, token: str) -> None:
    cli = PactCli(base_url=url, token=token)
    pact = str(FIXTURES / "foo-bar.json")
    for version, tag in (("1.0.0", "dev"), ("1.0.1", "prod")):
        cli.broker("publish", pact, "--consumer-app-version", version, "--branch", "main", "--tag", tag, check=True)
    cli.broker("create-or-update-pacticipant", "--name", "Bar", "--main-branch", "main", check=True)
    cli.broker("create-or-update-pacticipant", "--name", "Foo", "--main-branch", "main", check=True)
    cli.broker("create-or-update-version", "--pacticipant", "Bar", "--version", "2.0.0", "--branch", "main", check=True)
    cli.broker("create-version-tag", "--pacticipant", "Bar", "--version", "2.0.0", "--tag", "prod", check=True)
    cli.broker("create-environment", "--name", "test", check=True)
    cli.broker("create-environment", "--name", "production", "--production", check=True)
    for version in ("1.0.0", "1.0.1"):  # 1.0.0's deployment to test is past, 1.0.1's is current
        cli.broker(
            "record-deployment", "--pacticipant", "Foo", "--version", version, "--environment", "test", check=True
        )
    cli.broker("record-deployment", "--pacticipant", "Bar", "--version", "2.0.0", "--environment", "test", check=True)
    cli.broker(
        "record-release", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "production", check=True
    )
    cli.broker(
        "record-support-ended", "--pacticipant", "Foo", "--version", "1.0.0", "--environment", "production", check=True
    )
    cli.broker(
        "record-release", "--pacticipant", "Foo", "--version", "1.0.1", "--environment", "production", check=True
    )
    cli.broker(
        "create-webhook", "https://ci.example.com/build", "--request", "POST", "--user", "ci:s3cret",
        "--header", "X-Token: abc", "--contract-content-changed", "--description", "Trigger CI", check=True,
    )  # fmt: skip
    # The verifier's POST of results, for the pact of 1.0.1 (same content as 1.0.0's).
    pact = requests.get(f"{url}/pacts/provider/Bar/consumer/Foo/version/1.0.1", auth=(USER, PASSWORD), timeout=10)
    results_url = pact.json()["_links"]["pb:publish-verification-results"]["href"]
    for success, build in ((False, 1), (True, 2)):
        body = {
            "success": success,
            "providerApplicationVersion": "2.0.0",
            "buildUrl": f"https://ci.example.com/bar/{build}",
            "testResults": {"tests": [{"testDescription": "a request for things", "success": success}]},
            "verifiedBy": {"implementation": "Pact-Rust", "version": "1.0"},
        }
        answer = requests.post(results_url, json=body, auth=(USER, PASSWORD), timeout=10)
        assert answer.status_code == 201, answer.text


def _import(url: str, **extra) -> str:
    out = io.StringIO()
    call_command(
        "broker_import",
        source_url=url,
        source_user=USER,
        source_password=PASSWORD,
        org="imp-dst",
        no_progress=True,
        stdout=out,
        **extra,
    )
    return out.getvalue()


def _snapshot(schema: str) -> dict:
    with schema_context(schema):
        return {
            "pacticipants": sorted(
                (p.name, p.main_branch, p.created_at.replace(microsecond=0)) for p in Pacticipant.objects.all()
            ),
            "versions": [
                (v.pacticipant.name, v.number, v.build_url, v.created_at.replace(microsecond=0))
                for v in Version.objects.select_related("pacticipant").order_by("pacticipant__name", "order")
            ],
            "tags": sorted((t.version.number, t.name) for t in Tag.objects.select_related("version")),
            "heads": sorted((h.pacticipant.name, h.branch_name, h.version.number) for h in BranchHead.objects.all()),
            "contents": sorted((pv.sha, pv.content) for pv in PactVersion.objects.all()),
            "publications": sorted(
                (p.consumer_version.number, p.provider.name, p.pact_version.sha, p.created_at.replace(microsecond=0))
                for p in PactPublication.objects.select_related("consumer_version", "provider", "pact_version")
            ),
            "verifications": [
                (v.success, v.provider_version.number, v.pact_version.sha, v.build_url, v.test_results)
                for v in Verification.objects.select_related("provider_version", "pact_version").order_by("id")
            ],
            "deployed": sorted(
                (d.uuid, d.version.number, d.environment.name, d.undeployed_at is None)
                for d in DeployedVersion.objects.select_related("version", "environment")
            ),
            "current": sorted(c.deployed_version.uuid for c in CurrentlyDeployedVersion.objects.all()),
            "released": sorted(
                (r.uuid, r.version.number, r.support_ended_at is None) for r in ReleasedVersion.objects.all()
            ),
        }


def test_import_copies_the_source_and_a_second_run_adds_only_what_is_new(source_broker):
    url, source, target, other = source_broker
    _fill(url, source.token)

    output = _import(url)

    assert "succeeded" in output, output
    assert "Verified: counts, the latest pact of every integration and can-i-deploy answer as on the source." in output
    assert "Webhook Trigger CI" in output and "re-enter: password, header x-token." in output
    connection.set_schema_to_public()
    assert _snapshot(target.tenant.schema_name) == _snapshot(source.tenant.schema_name)
    with schema_context(target.tenant.schema_name):
        webhook = Webhook.objects.get()
        assert webhook.enabled is False and webhook.password is None and webhook.username == "ci"
        assert Verification.objects.filter(success=True).get().build_url == "https://ci.example.com/bar/2"
    with schema_context(other.tenant.schema_name):
        assert Pacticipant.objects.count() == 0 and ImportRun.objects.count() == 0

    again = _import(url)
    assert "Imported: environments 0, pacticipants 0, versions 0, pacts 0, verifications 0" in again, again
    connection.set_schema_to_public()
    assert _snapshot(target.tenant.schema_name) == _snapshot(source.tenant.schema_name)

    # CI kept publishing to the old broker: the delta comes over.
    PactCli(base_url=url, token=source.token).broker(
        "publish", str(FIXTURES / "foo-bar.json"), "--consumer-app-version", "1.0.2", "--branch", "main", check=True
    )
    delta = _import(url)
    assert "versions 1, pacts 1, verifications 0" in delta, delta
    connection.set_schema_to_public()
    assert _snapshot(target.tenant.schema_name) == _snapshot(source.tenant.schema_name)


def test_the_current_deployment_history_brings_only_what_is_deployed_and_released_now(source_broker):
    url, source, target, _ = source_broker
    _fill(url, source.token)

    output = _import(url, deployment_history="current")

    assert "succeeded" in output, output
    connection.set_schema_to_public()
    imported, original = _snapshot(target.tenant.schema_name), _snapshot(source.tenant.schema_name)
    assert imported["deployed"] == [d for d in original["deployed"] if d[3]]  # 1.0.1 and 2.0.0 in test
    assert len(imported["deployed"]) == 2 and imported["current"] == original["current"]
    assert imported["released"] == [r for r in original["released"] if r[2]]  # 1.0.1 in production
    assert len(imported["released"]) == 1
    assert imported["versions"] == original["versions"] and imported["publications"] == original["publications"]


class _Interrupt(Exception):
    pass


def test_an_interrupted_import_continues_where_it_stopped(source_broker):
    url, source, target, _ = source_broker
    _fill(url, source.token)

    def interrupt_in_pacts(importer):
        if importer.run.phase == "pacts" and importer.run.checkpoint.get("page"):
            raise _Interrupt()

    with schema_context(target.tenant.schema_name):
        run = import_run_start(source_url=url)
        with pytest.raises(_Interrupt):
            run_import(run, username=USER, password=PASSWORD, on_progress=interrupt_in_pacts)
        run.refresh_from_db()
        assert run.status == ImportRun.Status.FAILED
        assert run.checkpoint["phase"] == "pacts"

    output = _import(url)

    assert f"Continuing import #{run.pk}" in output, output
    assert f"Import #{run.pk} from {url}: succeeded." in output
    connection.set_schema_to_public()
    assert _snapshot(target.tenant.schema_name) == _snapshot(source.tenant.schema_name)


def test_wrong_credentials_and_an_unreachable_source_give_a_clear_error(source_broker):
    url, _, target, _ = source_broker
    with pytest.raises(CommandError) as refused:
        call_command(
            "broker_import", source_url=url, source_token="not-a-token", org="imp-dst", no_progress=True,
            stdout=io.StringIO(),
        )  # fmt: skip
    assert str(refused.value) == (
        f"The source broker at {url} refused the credentials (401): give a valid --source-token, "
        "or --source-user and --source-password."
    )
    with pytest.raises(CommandError) as unreachable:
        call_command(
            "broker_import", source_url="http://127.0.0.1:9", org="imp-dst", no_progress=True, stdout=io.StringIO()
        )
    assert str(unreachable.value).startswith("Cannot reach the source broker at http://127.0.0.1:9 (")
    with pytest.raises(CommandError) as not_a_broker:
        call_command(
            "broker_import", source_url=f"{url}/healthz", org="imp-dst", no_progress=True, stdout=io.StringIO()
        )
    assert str(not_a_broker.value) == (
        f"{url}/healthz does not look like a Pact Broker: it has no index with a pb:pacticipants link."
    )
    with pytest.raises(CommandError, match="No organisation with the slug 'nope'"):
        call_command("broker_import", source_url=url, org="nope", no_progress=True)
    connection.set_schema_to_public()
    with schema_context(target.tenant.schema_name):
        assert Pacticipant.objects.count() == 0


@pytest.fixture
def import_worker(source_broker):
    """A real Celery worker that may read the source on 127.0.0.1 (as a self-hosted broker may)."""
    broker_flush()
    worker = Worker("import", env={"BROKER_IMPORT_ALLOW_PRIVATE": "true"}).start(wait=False)
    try:
        worker.wait_ready(timeout=180)  # a loaded machine boots a worker slowly
        yield worker
    finally:
        worker.stop()


def test_an_import_started_in_settings_runs_in_a_celery_worker(source_broker, import_worker):
    import time

    from tests.ui.conftest import signed_in

    url, source, target, _ = source_broker
    PactCli(base_url=url, token=source.token).broker(
        "publish", str(FIXTURES / "foo-bar.json"), "--consumer-app-version", "1.0.0", "--branch", "main", check=True
    )
    admin = signed_in(target, target.admin)

    started = admin.post("/settings/import", {"source_url": url, "username": USER, "password": PASSWORD})

    assert started.status_code == 302
    connection.set_schema_to_public()
    deadline = time.monotonic() + 120
    with schema_context(target.tenant.schema_name):
        while time.monotonic() < deadline:
            run = ImportRun.objects.get()
            if not run.active:
                break
            time.sleep(0.5)
        assert run.status == ImportRun.Status.SUCCEEDED, (run.status, run.error, run.report)
        assert Version.objects.get(pacticipant__name="Foo").number == "1.0.0"
    page = admin.get("/settings/import").content.decode()
    assert "Succeeded" in page
    assert "Verified: counts, the latest pact of every integration and can-i-deploy answer as on the source." in page
