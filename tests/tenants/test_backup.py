"""org_backup / org_restore: an organisation restored into a fresh database gives the same answers."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PACT = {
    "consumer": {"name": "Billing UI"},
    "provider": {"name": "Ledger API"},
    "interactions": [
        {
            "description": "a balance",
            "request": {"method": "GET", "path": "/balance"},
            "response": {"status": 200, "body": {"amount": 10}},
        }
    ],
    "metadata": {"pactSpecification": {"version": "2.0.0"}},
}
READS = [
    "/pacticipants",
    "/pacts/provider/Ledger%20API/consumer/Billing%20UI/latest",
    "/matrix?q[][pacticipant]=Billing%20UI&q[][version]=1.0.0&latestby=cvp",
    "/pacticipants/Billing%20UI/versions/1.0.0",
]

# Run in the restored database's process: the same reads, as JSON.
READER = """
import json, os, sys
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST=os.environ["ORG_HOST"], HTTP_AUTHORIZATION="Bearer " + os.environ["ORG_TOKEN"],
                HTTP_ACCEPT="application/hal+json")
print(json.dumps({path: [r.status_code, r.json()] for path in json.loads(sys.argv[1]) for r in [client.get(path)]}))
"""


def _url(database: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


def _manage(*args, database: str, **env) -> subprocess.CompletedProcess:
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": _url(database),
        "TENANT_SPARE_SCHEMAS": "0",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300, check=True
    )


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg.connect(_url("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_an_organisation_restored_into_a_fresh_database_reads_the_same(tmp_path, fresh_database):
    from tests.support.live import live_org_create, live_org_drop

    backup = tmp_path / "backup-co.tar.gz"
    org = live_org_create("backup-co")
    try:
        api = org.client(HTTP_ACCEPT="application/hal+json")
        assert (
            api.put(
                "/pacts/provider/Ledger%20API/consumer/Billing%20UI/version/1.0.0",
                PACT,
                content_type="application/json",
            ).status_code
            == 201
        )
        before = {path: [r.status_code, r.json()] for path in READS for r in [api.get(path)]}
        out = io.StringIO()
        call_command("org_backup", "--slug", "backup-co", "--out", str(backup), stdout=out)
        assert out.getvalue().startswith("Backed up backup-co (schema backup_co, ")
        # The same organisation cannot be restored over itself.
        with pytest.raises(CommandError, match="exists here; delete it first"):
            call_command("org_restore", "--file", str(backup))
        with pytest.raises(CommandError, match="exists; choose a new file"):
            call_command("org_backup", "--slug", "backup-co", "--out", str(backup))
    finally:
        live_org_drop(org)
    assert before[READS[1]][0] == 200 and before[READS[2]][0] == 200

    with tarfile.open(backup) as archive:
        assert sorted(archive.getnames()) == ["manifest.json", "platform.json", "schema.sql"]
        platform = json.loads(archive.extractfile("platform.json").read())
    assert platform["tenant"]["slug"] == "backup-co"
    assert platform["domains"] == [{"domain": "backup-co.localhost", "is_primary": True}]
    assert oct(os.stat(backup).st_mode & 0o777) == "0o600"

    _manage("manage.py", "migrate_schemas", "--noinput", database=fresh_database)
    restored = _manage("manage.py", "org_restore", "--file", str(backup), database=fresh_database)
    assert restored.stdout.startswith("Restored backup-co (schema backup_co, backed up ")
    after = json.loads(
        _manage("-c", READER, json.dumps(READS), database=fresh_database, ORG_HOST=org.host, ORG_TOKEN=org.token).stdout
    )

    assert after == before


@pytest.mark.django_db
def test_backing_up_an_unknown_organisation_is_refused(tmp_path):
    with pytest.raises(CommandError, match="There is no organisation 'nobody'."):
        call_command("org_backup", "--slug", "nobody", "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


@pytest.mark.django_db
def test_restoring_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk"
    junk.write_text("not a backup")

    with pytest.raises(CommandError, match="is not an organisation backup"):
        call_command("org_restore", "--file", str(junk))


@pytest.mark.django_db
def test_a_backup_made_by_newer_code_is_refused(tmp_path):
    from tenants.backup import FORMAT

    backup = tmp_path / "future.tar.gz"
    manifest = {
        "format": FORMAT,
        "organisation": "future-co",
        "schema": "future_co",
        "created_at": "2030-01-01",
        "migrations": [["contracts", "9999_from_the_future"]],
        "schema_sql_bytes": 0,
    }
    with tarfile.open(backup, "w:gz") as archive:
        for name, data in [
            ("manifest.json", json.dumps(manifest).encode()),
            ("platform.json", b'{"tenant": {}, "domains": [], "billing": null}'),
            ("schema.sql", b""),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

    with pytest.raises(
        CommandError,
        match=r"made by newer code \(migrations unknown here, e.g. "
        r"contracts.9999_from_the_future\)",
    ):
        call_command("org_restore", "--file", str(backup))
