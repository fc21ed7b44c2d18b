"""The official Pact CLI against environments, deployments and can-i-deploy: a yes and a no each.

Pacts and verifications are built with tests.support.factories (committed, live-server test);
only the commands under test go through the CLI.
"""

import json

import pytest
from django_tenants.utils import schema_context

from apps.environments.models import DeployedVersion, Environment, ReleasedVersion
from tests.support.factories import deploy, environment_ensure, pact_publish, verification_publish, version_ensure

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(live_acme, pact_cli):
    """Foo 1 verified by Bar 10 (in prod, tagged prod, main); Foo 2 failed by Bar 10; Foo 3 unverified."""
    org, _ = live_acme
    with schema_context(org.schema):
        version_ensure("Bar", "10", branch="main", tags=["prod"])
        pact_publish("Foo", "1", "Bar", branch="main", content={"interactions": [{"description": "one"}]})
        pact_publish("Foo", "2", "Bar", branch="feat", content={"interactions": [{"description": "two"}]})
        pact_publish("Foo", "3", "Bar", branch="wip", content={"interactions": [{"description": "three"}]})
        verification_publish("Foo", "1", "Bar", "10")
        verification_publish("Foo", "2", "Bar", "10", success=False)
        deploy("Bar", "10", "prod")
        environment_ensure("test")
    return org


def cli(pact_cli, *args):
    return pact_cli.broker(*args, "--retries", "0")


def test_can_i_deploy_a_version_to_an_environment(world, pact_cli):
    yes = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--version", "1", "--to-environment", "prod")
    no = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--version", "2", "--to-environment", "prod")

    assert yes.returncode == 0, yes.stdout + yes.stderr
    assert "Computer says yes" in yes.stdout
    assert "All required verification results are published and successful" in yes.stdout
    assert no.returncode == 1, no.stdout + no.stderr
    assert "Computer says no" in no.stdout
    assert "failed" in no.stdout


def test_can_i_deploy_the_latest_version_and_a_branch(world, pact_cli):
    latest = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--latest", "--to-environment", "prod")
    branch_yes = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--branch", "main", "--to-environment", "prod")
    branch_no = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--branch", "feat", "--to-environment", "prod")

    assert latest.returncode == 1  # Foo 3 is unverified
    assert "Computer says no" in latest.stdout
    assert branch_yes.returncode == 0, branch_yes.stdout + branch_yes.stderr
    assert branch_no.returncode == 1


def test_can_i_deploy_to_a_tag_the_older_workflow(world, pact_cli):
    yes = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--version", "1", "--to", "prod")
    no = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--version", "2", "--to", "prod")

    assert yes.returncode == 0, yes.stdout + yes.stderr
    assert no.returncode == 1


def test_can_i_deploy_ignoring_a_pacticipant(world, pact_cli):
    ignored = cli(
        pact_cli,
        "can-i-deploy",
        "--pacticipant",
        "Foo",
        "--version",
        "2",
        "--to-environment",
        "prod",
        "--ignore",
        "Bar",
    )
    not_ignored = cli(pact_cli, "can-i-deploy", "--pacticipant", "Foo", "--version", "2", "--to-environment", "prod")

    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    assert not_ignored.returncode == 1


def test_can_i_deploy_retries_while_unknown_then_says_no(world, pact_cli):
    unknown = cli(
        pact_cli,
        "can-i-deploy",
        "--pacticipant",
        "Foo",
        "--version",
        "3",
        "--to-environment",
        "prod",
        "--retry-while-unknown",
        "1",
        "--retry-interval",
        "1",
    )
    known = cli(
        pact_cli,
        "can-i-deploy",
        "--pacticipant",
        "Foo",
        "--version",
        "1",
        "--to-environment",
        "prod",
        "--retry-while-unknown",
        "1",
        "--retry-interval",
        "1",
    )

    assert unknown.returncode == 1
    assert "no verified pact" in unknown.stdout.lower() or "unknown" in unknown.stdout.lower()
    assert known.returncode == 0


def test_can_i_deploy_json_output_has_the_summary(world, pact_cli):
    result = cli(
        pact_cli,
        "can-i-deploy",
        "--pacticipant",
        "Foo",
        "--version",
        "1",
        "--to-environment",
        "prod",
        "--output",
        "json",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["summary"]["deployable"] is True


def test_can_i_merge(world, pact_cli):
    yes = cli(pact_cli, "can-i-merge", "--pacticipant", "Foo", "--version", "1")
    no = cli(pact_cli, "can-i-merge", "--pacticipant", "Foo", "--version", "2")

    assert yes.returncode == 0, yes.stdout + yes.stderr
    assert no.returncode == 1


def _env_uuid(org, name="test"):
    with schema_context(org.schema):
        return Environment.objects.get(name=name).uuid


def test_describe_update_and_delete_an_environment(world, pact_cli):
    uuid = _env_uuid(world)

    described = cli(pact_cli, "describe-environment", "--uuid", uuid)
    missing = cli(pact_cli, "describe-environment", "--uuid", "no-such-uuid")
    updated = cli(pact_cli, "update-environment", "--uuid", uuid, "--name", "test", "--display-name", "QA")
    bad_update = cli(pact_cli, "update-environment", "--uuid", uuid, "--name", "has space")
    deleted = cli(pact_cli, "delete-environment", "--uuid", uuid)
    deleted_again = cli(pact_cli, "delete-environment", "--uuid", uuid)

    assert described.returncode == 0, described.stdout + described.stderr
    assert "test" in described.stdout
    assert missing.returncode != 0
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert bad_update.returncode != 0
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert deleted_again.returncode != 0
    with schema_context(world.schema):
        assert not Environment.objects.filter(uuid=uuid).exists()


def test_create_and_list_environments(world, pact_cli):
    created = cli(pact_cli, "create-environment", "--name", "uat", "--display-name", "UAT")
    duplicate = cli(pact_cli, "create-environment", "--name", "uat")
    listed = cli(pact_cli, "list-environments")

    assert created.returncode == 0, created.stdout + created.stderr
    assert duplicate.returncode != 0
    assert listed.returncode == 0 and "uat" in listed.stdout


def test_record_deployment_and_release(world, pact_cli):
    deployed = cli(pact_cli, "record-deployment", "--pacticipant", "Foo", "--version", "1", "--environment", "test")
    unknown_env = cli(pact_cli, "record-deployment", "--pacticipant", "Foo", "--version", "1", "--environment", "nope")
    released = cli(pact_cli, "record-release", "--pacticipant", "Foo", "--version", "1", "--environment", "test")
    unknown_version = cli(
        pact_cli, "record-release", "--pacticipant", "Foo", "--version", "99", "--environment", "test"
    )

    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert unknown_env.returncode != 0
    assert released.returncode == 0, released.stdout + released.stderr
    assert unknown_version.returncode != 0
    with schema_context(world.schema):
        assert DeployedVersion.objects.filter(version__number="1", environment__name="test").exists()
        assert ReleasedVersion.objects.filter(version__number="1", environment__name="test").exists()


def test_record_undeployment_and_support_ended(world, pact_cli):
    with schema_context(world.schema):
        deploy("Foo", "1", "test")
        from tests.support.factories import release

        release("Foo", "1", "test")

    undeployed = cli(pact_cli, "record-undeployment", "--pacticipant", "Foo", "--environment", "test")
    nothing = cli(pact_cli, "record-undeployment", "--pacticipant", "Foo", "--environment", "test")
    ended = cli(pact_cli, "record-support-ended", "--pacticipant", "Foo", "--version", "1", "--environment", "test")

    assert undeployed.returncode == 0, undeployed.stdout + undeployed.stderr
    assert nothing.returncode != 0
    assert ended.returncode == 0, ended.stdout + ended.stderr
    with schema_context(world.schema):
        assert not DeployedVersion.objects.filter(environment__name="test", undeployed_at__isnull=True).exists()
        assert ReleasedVersion.objects.get(environment__name="test").support_ended_at is not None
