"""org_export / org_import: an organisation's data out as one archive, and back in as a new organisation."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts import services as account_services
from apps.accounts.models import User
from apps.secrets.services.secrets import secret_create
from apps.webhooks.models import Webhook
from tenants.models import Tenant
from tests.support import factories
from tests.support.tenancy import Org

READS = [
    "/pacticipants",
    "/pacticipants/Billing%20UI/versions",
    "/pacts/provider/Ledger%20API/consumer/Billing%20UI/latest",
    "/pacts/provider/Ledger%20API/consumer/Billing%20UI/latest/prod",
    "/matrix?q[][pacticipant]=Billing%20UI&q[][version]=1.0.1&latestby=cvp",
    "/can-i-deploy?pacticipant=Billing%20UI&version=1.0.1&to=production",
    "/environments",
    "/webhooks",
]


def _fill(org) -> None:
    with schema_context(org.schema):
        first = factories.pact_publish("Billing UI", "1.0.0", "Ledger API", branch="main", tags=["prod"])
        factories.verify(first, "7.0.0", branch="main", test_results={"tests": [{"ok": True}]})
        second = factories.pact_publish("Billing UI", "1.0.1", "Ledger API", branch="main", description="changed")
        factories.verify(second, "7.0.1", success=False)
        factories.deploy("Billing UI", "1.0.0", "production")
        factories.deploy("Ledger API", "7.0.0", "production")
        factories.release("Ledger API", "7.0.0", "test", support_ended=True)
        Webhook.objects.create(
            uuid="hook-1", method="POST", url="https://ci.example/hook", events=["contract_published"], headers={}
        )
        account_services.user_create(email="dev@example.org", name="A Developer", password="correct-horse-battery")


def _export(org, path) -> dict:
    call_command("org_export", org=org.tenant.slug, out=str(path), stdout=io.StringIO())
    with tarfile.open(path) as archive:
        return json.load(archive.extractfile("manifest.json"))


def _data_files(manifest: dict) -> dict:
    return {name: entry["sha256"] for name, entry in manifest["files"].items()}


def _read_all(host: str, token: str) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/hal+json")
    answers = {}
    for path in READS:
        response = client.get(path)
        answers[path] = [response.status_code, response.content.decode().replace(host, "HOST")]
    return answers


def test_an_export_imported_into_a_new_organisation_exports_identically_and_answers_the_same(
    acme, outsider, tmp_path, settings
):
    _fill(acme)
    with schema_context(outsider.schema):
        factories.pact_publish("Globex App", "9.9.9", "Globex API")
    first = _export(acme, tmp_path / "acme.tar.gz")
    out = io.StringIO()
    call_command("org_import", archive=str(tmp_path / "acme.tar.gz"), org="acme-copy", stdout=out)
    assert "Imported into acme-copy" in out.getvalue()
    copy = Tenant.objects.get(slug="acme-copy")
    assert copy.name == "Acme Corp"
    second = _export(Org(tenant=copy, host="", admin=None, token="", read_token=""), tmp_path / "copy.tar.gz")
    assert _data_files(second) == _data_files(first)
    assert first["files"]["data/verifications.jsonl"]["rows"] == 2
    # The API answers the same on both hosts (absolute links aside).
    connection.set_schema_to_public()
    with schema_context(copy.schema_name):
        admin = User.objects.get(email="admin@acme.example")
        _, copy_token = account_services.token_create(user=admin, name="check", read_only=True)
    copy_host = f"acme-copy.{settings.BASE_DOMAIN}"
    original = _read_all(acme.host, acme.read_token)
    assert {path: answer[0] for path, answer in original.items()} == dict.fromkeys(READS, 200)
    assert _read_all(copy_host, copy_token) == original


def test_an_export_never_holds_another_organisations_data_nor_secrets(acme, outsider, tmp_path):
    _fill(acme)
    with schema_context(outsider.schema):
        factories.pact_publish("Globex App", "9.9.9", "Globex API")
    with schema_context(acme.schema):
        secret_create(name="DEPLOY_KEY", value="s3cr3t-value-xyz", description="", actor=None)
        Webhook.objects.filter(uuid="hook-1").update(password="hook-password-abc", username="ci")
        Webhook.objects.create(
            uuid="hook-2",
            method="POST",
            url="https://ci.example/other",
            events=["contract_published"],
            headers={"Authorization": "Bearer literal-token-123", "X-Api-Token": "${user.CI_TOKEN}", "Accept": "*/*"},
        )
    path = tmp_path / "acme.tar.gz"
    manifest = _export(acme, path)
    with tarfile.open(path) as archive:
        everything = b"".join(archive.extractfile(member).read() for member in archive.getmembers())
    assert b"Globex" not in everything
    assert b"s3cr3t-value-xyz" not in everything and b"hook-password-abc" not in everything
    assert b"literal-token-123" not in everything and b"${user.CI_TOKEN}" in everything
    assert b"pbkdf2_sha256" not in everything  # password hashes
    with schema_context(acme.schema):
        from apps.accounts.models import ApiToken

        digests = list(ApiToken.objects.values_list("digest", flat=True))
    assert digests and not any(digest.encode() in everything for digest in digests)
    assert manifest["not_included"]["secrets"] == ["DEPLOY_KEY"]
    assert manifest["not_included"]["webhook_passwords"] == ["hook-1"]
    assert manifest["not_included"]["webhook_headers"] == ["hook-2"]
    # Imported: the webhook whose password is missing is disabled, and said so.
    out = io.StringIO()
    call_command("org_import", archive=str(path), org="acme-two", stdout=out)
    assert "Webhooks imported disabled (their credentials were not exported): hook-1, hook-2." in out.getvalue()
    assert "Secrets to re-enter: DEPLOY_KEY." in out.getvalue()
    with schema_context(Tenant.objects.get(slug="acme-two").schema_name):
        assert Webhook.objects.get(uuid="hook-1").enabled is False
        hook = Webhook.objects.get(uuid="hook-2")
        assert hook.enabled is False and hook.headers == {"X-Api-Token": "${user.CI_TOKEN}", "Accept": "*/*"}
        assert not User.objects.get(email="dev@example.org").has_usable_password()


def test_importing_into_a_taken_slug_is_refused(acme, tmp_path):
    _export(acme, tmp_path / "acme.tar.gz")
    with pytest.raises(CommandError, match="already taken"):
        call_command("org_import", archive=str(tmp_path / "acme.tar.gz"), org="acme", stdout=io.StringIO())


def test_an_altered_archive_is_refused_and_leaves_no_organisation(acme, tmp_path):
    _fill(acme)
    path = tmp_path / "acme.tar.gz"
    _export(acme, path)
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(path) as source, tarfile.open(altered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "data/pacticipants.jsonl":
                data = data.replace(b"Billing UI", b"Billing UX")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("org_import", archive=str(altered), org="acme-altered", stdout=io.StringIO())
    assert not Tenant.objects.filter(slug="acme-altered").exists()


def test_a_file_that_is_not_an_archive_is_refused(tmp_path, db):
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="is not an organisation archive"):
        call_command("org_import", archive=str(bad), org="newco", stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no organisation 'nope'"):
        call_command("org_export", org="nope", out=str(tmp_path / "x.tar.gz"), stdout=io.StringIO())
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as archive:
        info = tarfile.TarInfo("../escape.json")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"{}"))
    with pytest.raises(CommandError, match="Unexpected entry"):
        call_command("org_import", archive=str(evil), org="newco", stdout=io.StringIO())
    assert not Tenant.objects.filter(slug="newco").exists()
