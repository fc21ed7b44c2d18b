"""The official Pact CLI manages pacticipants, versions, branches and tags against the live broker."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts import services as account_services
from tests.support.live import PactCli

pytestmark = pytest.mark.e2e


def test_cli_creates_updates_describes_and_lists_pacticipants(pact_cli):
    created = pact_cli.broker(
        "create-or-update-pacticipant",
        "--name",
        "Foo",
        "--main-branch",
        "main",
        "--repository-url",
        "https://git.example/foo",
    )
    updated = pact_cli.broker("create-or-update-pacticipant", "--name", "Foo", "--display-name", "Foo App")
    described = pact_cli.broker("describe-pacticipant", "--name", "Foo")
    as_json = pact_cli.broker("describe-pacticipant", "--name", "Foo", "--output", "json")
    listed = pact_cli.broker("list-pacticipants")
    missing = pact_cli.broker("describe-pacticipant", "--name", "Nope")

    assert created.returncode == 0, created.stderr
    assert "created" in created.stdout
    assert updated.returncode == 0 and "updated" in updated.stdout
    assert described.returncode == 0
    assert "Foo App" in described.stdout and "main" in described.stdout
    assert "https://git.example/foo" in described.stdout
    body = json.loads(as_json.stdout)
    assert body["name"] == "Foo" and body["mainBranch"] == "main"
    assert listed.returncode == 0 and "Foo App" in listed.stdout
    assert missing.returncode != 0 and "404" in missing.stdout + missing.stderr


def test_cli_creates_versions_with_branches_and_tags_and_describes_them(pact_cli):
    created = pact_cli.broker(
        "create-or-update-version", "--pacticipant", "Foo", "--version", "1", "--branch", "feat/x", "--tag", "prod"
    )
    described = pact_cli.broker("describe-version", "--pacticipant", "Foo", "--version", "1")
    latest = pact_cli.broker("describe-version", "--pacticipant", "Foo", "--latest", "prod")
    as_json = pact_cli.broker("describe-version", "--pacticipant", "Foo", "--version", "1", "--output", "json")

    assert created.returncode == 0, created.stderr
    assert "feat/x" in created.stdout and "prod" in created.stdout
    assert described.returncode == 0 and "prod" in described.stdout
    assert latest.returncode == 0 and "1" in latest.stdout
    body = json.loads(as_json.stdout)
    assert [b["name"] for b in body["_embedded"]["branchVersions"]] == ["feat/x"]


def test_cli_tags_untags_and_deletes_branches(pact_cli, live_acme):
    org, base_url = live_acme
    tagged = pact_cli.broker(
        "create-version-tag", "--pacticipant", "Foo", "--version", "2", "--tag", "dev", "--auto-create-version"
    )
    untagged = pact_cli.broker("delete-version-tag", "--pacticipant", "Foo", "--version", "2", "--tag", "dev")
    pact_cli.broker(
        "create-or-update-version", "--pacticipant", "Foo", "--version", "3", "--branch", "feat/y", check=True
    )
    deleted = pact_cli.broker("delete-branch", "--pacticipant", "Foo", "--branch", "feat/y")
    missing = pact_cli.broker(
        "delete-branch", "--pacticipant", "Foo", "--branch", "feat/y", "--error-when-not-found", "true"
    )

    assert tagged.returncode == 0, tagged.stderr
    assert "Success" in tagged.stdout
    assert untagged.returncode == 0 and "deleted tag 'dev'" in untagged.stdout
    assert deleted.returncode == 0 and "deleted branch 'feat/y'" in deleted.stdout
    assert missing.returncode != 0 and "not found" in missing.stdout + missing.stderr
    with schema_context(org.schema):
        from apps.contracts.models import Branch, Tag, Version

        assert set(Version.objects.values_list("number", flat=True)) == {"2", "3"}
        assert not Tag.objects.filter(name="dev").exists()
        assert not Branch.objects.filter(name="feat/y").exists()


@pytest.fixture
def self_hosted_broker(transactional_db, live_server, settings):
    """Self-hosted mode on the live server: the single organisation, any host name."""
    settings.SINGLE_TENANT = True
    settings.ALLOWED_HOSTS = ["*"]
    from tenants.models import Tenant

    call_command("broker_setup", verbosity=0)
    tenant = Tenant.objects.get(schema_name=settings.SINGLE_TENANT_SCHEMA)
    with schema_context(tenant.schema_name):
        admin = account_services.user_create(
            email="admin@broker.example",
            name="admin",
            password="correct-horse-battery",
            is_admin=True,
            email_confirmed=True,
        )
        _, token = account_services.token_create(user=admin, name="ci", read_only=False)
    try:
        yield PactCli(base_url=live_server.url, token=token)
    finally:
        connection.set_schema_to_public()
        tenant.delete(force_drop=True)


def test_cli_works_against_a_self_hosted_broker(self_hosted_broker):
    cli = self_hosted_broker

    created = cli.broker("create-or-update-version", "--pacticipant", "Foo", "--version", "1", "--branch", "main")
    described = cli.broker("describe-pacticipant", "--name", "Foo")
    listed = cli.broker("list-pacticipants")

    assert created.returncode == 0, created.stdout + created.stderr
    assert described.returncode == 0 and "Main Branch: main" in described.stdout
    assert listed.returncode == 0 and "Foo" in listed.stdout
