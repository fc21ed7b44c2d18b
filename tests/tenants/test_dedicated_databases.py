"""Dedicated database servers (tenants/placement.py): organisations placed on a second PostgreSQL.

A second PostgreSQL cluster is started once for the session (tests/support/pg_cluster.py) and set
up as the server `dedicated` from the test database (`org_server_prepare`). The tests are
transactional: a dedicated organisation's schema is committed on its server whatever the test's
transaction does, so each test removes what it made.
"""

import json
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from config.env import database_from_url
from tenants import placement
from tenants.migration_state import schemas_behind
from tenants.models import Tenant
from tenants.spares import spare_schema_names, spare_schemas_fill
from tests.support.migrations import schema_put_one_migration_behind
from tests.support.pacts import pact_fixture, pact_put, verification_post
from tests.support.pg_cluster import PostgresCluster
from tests.support.tenancy import org_create

pytestmark = pytest.mark.django_db(transaction=True)

_prepared: set[str] = set()  # test databases (platform) whose template the second cluster has


@pytest.fixture(scope="session")
def second_cluster():
    cluster = PostgresCluster().start()
    try:
        yield cluster.create_database("broker_dedicated")
    finally:
        cluster.stop()


@pytest.fixture
def dedicated(second_cluster, settings, transactional_db):
    """The second cluster as the database server `dedicated`, set up from the test database."""
    settings.ORGANISATION_DATABASES = {"dedicated": database_from_url(second_cluster)}
    if second_cluster not in _prepared:
        call_command("org_server_prepare", "--database", "dedicated", stdout=_Null())
        _prepared.add(second_cluster)
    yield second_cluster
    connection.set_schema_to_public()
    for tenant in Tenant.objects.filter(database="dedicated"):
        tenant.delete(force_drop=True)
    assert placement.current_server() == placement.PLATFORM


@pytest.fixture
def celery_worker_env(second_cluster):
    return {"ORGANISATION_DATABASES": f"dedicated={second_cluster}"}


class _Null:
    def write(self, text):
        pass

    def flush(self):
        pass


def _on(alias: str, schema: str) -> bool:
    with placement.organisation_server(alias):
        return schema_exists(schema)


def _psql(url: str, sql: str) -> str:
    db = database_from_url(url)
    return subprocess.run(
        ["psql", "-h", db["HOST"], "-p", db["PORT"], "-U", db["USER"], "-d", db["NAME"], "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _create_dedicated(tmp_path, slug: str) -> tuple[Tenant, str]:
    token_file = tmp_path / f"{slug}.token"
    out = _run(
        "org_create",
        "--slug",
        slug,
        "--name",
        slug.title(),
        "--plan",
        "enterprise",
        "--admin-email",
        f"admin@{slug}.example",
        "--token-file",
        str(token_file),
        "--database",
        "dedicated",
    )
    assert f"Created {slug} ({slug.title()}) on enterprise with 20 seats, on database server dedicated." in out
    return Tenant.objects.get(slug=slug), token_file.read_text().strip()


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _client(host: str, token: str):
    from django.test import Client

    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {token}")


def _publish_and_verify(client) -> None:
    assert pact_put(client, pact_fixture("foo-bar"), version="1.0.0").status_code == 201
    pact = client.get("/pacts/provider/Bar/consumer/Foo/latest")
    assert pact.status_code == 200
    assert verification_post(client, pact.json(), provider_version="2.0.0").status_code == 201
    assert (
        client.put("/pacticipants/Bar/versions/2.0.0/tags/prod", data="{}", content_type="application/json").status_code
        == 201
    )


def _answers(client) -> dict:
    """What a CI pipeline reads: the pact, the pacticipants, the matrix and can-i-deploy."""
    paths = [
        "/pacts/provider/Bar/consumer/Foo/version/1.0.0",
        "/pacticipants",
        "/matrix?q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvp&latest=true&tag=prod",
        "/can-i-deploy?pacticipant=Foo&version=1.0.0&to=prod",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        answers[path] = response.json()
    return answers


def test_an_organisation_created_on_a_dedicated_server_lives_there_and_serves_the_api(dedicated, tmp_path, outsider):
    tenant, token = _create_dedicated(tmp_path, "initech")

    # Its schema is on the dedicated server, not on the platform's; its row is on the platform's only.
    assert tenant.database == "dedicated"
    assert _on("dedicated", tenant.schema_name) and not _on("default", tenant.schema_name)
    assert _psql(dedicated, "SELECT count(*) FROM public.tenants_tenant") == "0"
    assert _psql(dedicated, f"SELECT count(*) FROM {tenant.schema_name}.accounts_user") == "1"

    client = _client("initech.localhost", token)
    _publish_and_verify(client)
    answers = _answers(client)
    assert answers["/can-i-deploy?pacticipant=Foo&version=1.0.0&to=prod"]["summary"]["deployable"] is True
    assert [p["name"] for p in answers["/pacticipants"]["_embedded"]["pacticipants"]] == ["Bar", "Foo"]
    # Requests end on the platform's connection.
    assert placement.current_server() == placement.PLATFORM
    # The data is in its schema on the dedicated server.
    assert _psql(dedicated, f"SELECT count(*) FROM {tenant.schema_name}.contracts_pacticipant") == "2"

    # The organisation on the platform's server sees none of it, and neither token works on the other.
    outsider_client = outsider.client()
    body = outsider_client.get("/pacticipants").json()
    assert body["_embedded"]["pacticipants"] == []
    assert outsider_client.get("/pacts/provider/Bar/consumer/Foo/latest").status_code == 404
    assert _client(outsider.host, token).get("/pacticipants").status_code == 401
    assert _client("initech.localhost", outsider.token).get("/pacticipants").status_code == 401
    with schema_context(outsider.schema):
        assert placement.current_server() == placement.PLATFORM
    with schema_context(tenant.schema_name):  # services entering it by schema name follow it too
        assert placement.current_server() == "dedicated"
        assert connection.tenant.schema_name == tenant.schema_name
        # while the platform's own tables (organisations, billing) are still read on the platform's server
        assert set(Tenant.objects.values_list("slug", flat=True)) == {"initech", outsider.tenant.slug}
    assert placement.current_server() == placement.PLATFORM

    listed = {row["slug"]: row for row in json.loads(_run("org_list", "--json"))}
    assert listed["initech"]["database"] == "dedicated" and listed["initech"]["size_bytes"] > 0
    assert listed[outsider.tenant.slug]["database"] == "default"


def test_a_worker_runs_a_task_of_a_dedicated_organisation_on_its_server(dedicated, tmp_path, celery_worker):
    tenant, _ = _create_dedicated(tmp_path, "initech")
    platform = org_create("globex")

    try:
        result = celery_worker.send_task("tenants.tenant_ping", args=[tenant.schema_name]).get(timeout=30)
        assert result == {"schema": tenant.schema_name, "users": ["admin@initech.example"]}
        result = celery_worker.send_task("tenants.tenant_ping", args=[platform.schema]).get(timeout=30)
        assert result == {"schema": platform.schema, "users": ["admin@globex.example"]}
    finally:
        platform.tenant.delete(force_drop=True)


def test_moving_an_organisation_to_a_dedicated_server_keeps_every_answer(dedicated):
    org = org_create("hooli")
    try:
        client = org.client()
        _publish_and_verify(client)
        before = _answers(client)

        out = _run("org_move", "--slug", "hooli", "--to", "dedicated", "--operator", "ops")

        assert out.strip() == "Moved hooli to database server dedicated."
        tenant = Tenant.objects.get(slug="hooli")
        assert (tenant.database, tenant.suspended_at) == ("dedicated", None)
        assert _on("dedicated", org.schema) and not _on("default", org.schema)
        assert _answers(org.client()) == before  # same token, same ids, same links
        assert org.client(org.read_token).get("/pacticipants").status_code == 200

        # and back again
        _run("org_move", "--slug", "hooli", "--to", "default")
        assert _on("default", org.schema) and not _on("dedicated", org.schema)
        assert _answers(org.client()) == before
    finally:
        connection.set_schema_to_public()
        Tenant.objects.get(slug="hooli").delete(force_drop=True)
    assert not _on("default", org.schema) and not _on("dedicated", org.schema)


def test_an_archive_is_imported_onto_a_dedicated_server_and_exported_from_it(dedicated, tmp_path):
    org = org_create("hooli")
    try:
        _publish_and_verify(org.client())
        _run("org_export", "--org", "hooli", "--out", str(tmp_path / "hooli.tar.gz"))

        out = _run(
            "org_import", "--archive", str(tmp_path / "hooli.tar.gz"), "--org", "hooli-eu", "--database", "dedicated"
        )

        assert out.startswith("Imported into hooli-eu: ")
        copy = Tenant.objects.get(slug="hooli-eu")
        assert copy.database == "dedicated"
        assert _on("dedicated", copy.schema_name) and not _on("default", copy.schema_name)
        with schema_context(copy.schema_name):  # tokens are not in an archive: a new one
            from apps.accounts import services as account_services
            from apps.accounts.models import User

            _, token = account_services.token_create(
                user=User.objects.get(email="admin@hooli.example"), name="ci", read_only=False
            )
        assert _answers(_client("hooli-eu.localhost", token)) == _answers_on("hooli-eu.localhost", org, token)

        out = _run("org_export", "--org", "hooli-eu", "--out", str(tmp_path / "hooli-eu.tar.gz"))
        assert out.startswith(f"Exported hooli-eu to {tmp_path / 'hooli-eu.tar.gz'}: ")
    finally:
        connection.set_schema_to_public()
        org.tenant.delete(force_drop=True)


def _answers_on(host: str, org, token: str) -> dict:
    """The original organisation's answers, with its links rewritten to the copy's host."""
    text = json.dumps(_answers(org.client())).replace(org.host, host)
    return json.loads(text)


def test_migrations_reach_organisations_on_a_dedicated_server(dedicated, tmp_path):
    tenant, _ = _create_dedicated(tmp_path, "initech")
    with placement.organisation_server("dedicated"):
        schema_put_one_migration_behind(tenant.schema_name)
        assert schemas_behind([tenant.schema_name]) == [tenant.schema_name]

    out = _run("migrate_schemas", "--tenant")

    assert "on database server dedicated: 1 organisations + template checked, 0 missing, 1 migrated" in out
    with placement.organisation_server("dedicated"):
        assert schemas_behind([tenant.schema_name]) == []


def test_a_dedicated_server_has_its_own_spare_pool(dedicated, tmp_path):
    with placement.organisation_server("dedicated"):
        assert spare_schemas_fill(1) == 1
        [spare] = spare_schema_names()
    assert spare not in spare_schema_names()  # the platform's pool is another one

    tenant, _ = _create_dedicated(tmp_path, "initech")  # takes the spare: a rename, no clone

    with placement.organisation_server("dedicated"):
        assert spare_schema_names() == [] and not schema_exists(spare)
        assert schema_exists(tenant.schema_name)


def test_an_unknown_database_server_is_refused(dedicated):
    with pytest.raises(CommandError, match=r"Unknown database server 'elsewhere': one of default, dedicated"):
        _run(
            "org_create",
            "--slug",
            "x1",
            "--name",
            "X",
            "--plan",
            "team",
            "--admin-email",
            "a@x.example",
            "--database",
            "elsewhere",
        )
    with pytest.raises(CommandError, match=r"There is no organisation 'nobody'"):
        _run("org_move", "--slug", "nobody", "--to", "dedicated")
    assert not Tenant.objects.filter(slug="x1").exists()


def test_an_unreachable_dedicated_server_does_not_stop_readiness_metrics_or_the_other_pools(settings, caplog):
    from tenants.metrics import platform_facts
    from tenants.migration_state import migrations_pending
    from tenants.spares import spare_pools_fill

    settings.ORGANISATION_DATABASES = {"gone": database_from_url("postgresql://postgres@127.0.0.1:1/broker")}

    assert migrations_pending() == []
    assert platform_facts()["tokens"] == 0
    assert spare_pools_fill() == {"default": 0}
    assert placement.current_server() == placement.PLATFORM
    skipped = [r.getMessage() for r in caplog.records if "database server gone skipped" in r.getMessage()]
    assert skipped == [
        "readiness: database server gone skipped (unreachable or failing)",
        "metrics: database server gone skipped (unreachable or failing)",
        "spare pool: database server gone skipped (unreachable or failing)",
    ]


def test_a_failed_creation_on_a_dedicated_server_leaves_no_schema_there(dedicated, monkeypatch):
    from tenants import operations

    def refuse(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(operations, "user_invite", refuse)

    with pytest.raises(RuntimeError, match="mail server on fire"):
        _run(
            "org_create",
            "--slug",
            "initech",
            "--name",
            "Initech",
            "--plan",
            "team",
            "--admin-email",
            "a@initech.example",
            "--database",
            "dedicated",
        )

    assert not Tenant.objects.filter(slug="initech").exists()
    assert not _on("dedicated", "initech") and not _on("default", "initech")
