"""Every write of every app leaves exactly its audit entries (who, what, target, from where), in the
API and in the UI; a refused or failed write leaves none; secrets never appear by value."""

import json

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEvent, User
from apps.contracts.services import pacticipant_create
from tests.accounts.conftest import browser_for, member_create, plan_set
from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put, verification_post

pytestmark = pytest.mark.django_db

JSON = "application/json"
IP = "203.0.113.5"


class Log:
    """The entries written since the last look."""

    def __init__(self, org):
        self.org = org
        with schema_context(org.schema):
            self.last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def new(self) -> list[AuditEvent]:
        with schema_context(self.org.schema):
            events = list(AuditEvent.objects.filter(id__gt=self.last).order_by("id"))
        if events:
            self.last = events[-1].id
        return events

    def actions(self) -> list[tuple[str, str]]:
        return [(e.action, e.target_label) for e in self.new()]


def _api(org, **extra):
    return org.client(REMOTE_ADDR=IP, HTTP_USER_AGENT="pact-cli/1.0", **extra)


def _json(client, method: str, path: str, body=None, content_type: str = JSON):
    return client.generic(method, path, json.dumps(body) if body is not None else "", content_type=content_type)


MERGE_PATCH = "application/merge-patch+json"


def test_each_contract_write_through_the_api_leaves_exactly_its_entries(acme):
    api = _api(acme)
    log = Log(acme)

    assert _json(api, "POST", "/pacticipants", {"name": "Foo"}).status_code == 201
    assert log.actions() == [("pacticipant.created", "Foo")]

    assert _json(api, "PATCH", "/pacticipants/Foo", {"mainBranch": "main"}).status_code == 200
    [entry] = log.new()
    assert (entry.action, entry.details) == (
        "pacticipant.updated",
        {"before": {"main_branch": None}, "after": {"main_branch": "main"}},
    )

    assert _json(api, "PUT", "/pacticipants/Foo/labels/team-a", {}).status_code == 201
    assert log.actions() == [("label.added", "team-a")]

    assert _json(api, "PUT", "/pacticipants/Foo/versions/1.0.0", {}).status_code == 201
    assert log.actions() == [("version.created", "Foo 1.0.0")]

    assert _json(api, "PUT", "/pacticipants/Foo/versions/1.0.0/tags/dev", {}).status_code == 201
    assert log.actions() == [("tag.created", "dev")]

    assert _json(api, "PUT", "/pacticipants/Foo/branches/feat/versions/1.0.0", {}).status_code in (200, 201)
    assert log.actions() == [("branch_version.created", "Foo feat")]

    published = contracts_post(api, contract(pact_fixture("foo-bar")), version="1.0.1", branch="main", tags=["prod"])
    assert published.status_code == 200
    assert log.actions() == [
        ("version.created", "Foo 1.0.1"),
        ("branch_version.created", "Foo main"),
        ("tag.created", "prod"),
        ("pact.published", "Foo 1.0.1 → Bar"),
    ]

    assert pact_put(api, pact_fixture("foo-bar"), version="1.0.2").status_code == 201
    assert log.actions() == [("version.created", "Foo 1.0.2"), ("pact.published", "Foo 1.0.2 → Bar")]

    pact = api.get("/pacts/provider/Bar/consumer/Foo/latest").json()
    assert verification_post(api, pact, provider_version="2.0.0").status_code == 201
    [entry] = log.new()
    assert (entry.action, entry.target_label, entry.details["success"]) == ("verification.published", "Bar 2.0.0", True)

    assert _json(api, "DELETE", "/pacticipants/Foo/versions/1.0.0/tags/dev").status_code == 204
    assert log.actions() == [("tag.deleted", "dev")]

    assert _json(api, "DELETE", "/pacts/provider/Bar/consumer/Foo/version/1.0.2").status_code in (200, 204)
    assert log.actions() == [("pact.deleted", "Foo 1.0.2 → Bar")]

    assert _json(api, "DELETE", "/pacticipants/Foo/versions/1.0.2").status_code in (200, 204)
    assert log.actions() == [("version.deleted", "Foo 1.0.2")]

    assert _json(api, "DELETE", "/pacticipants/Foo/branches/feat").status_code in (200, 204)
    assert log.actions() == [("branch.deleted", "Foo feat")]

    assert _json(api, "DELETE", "/pacticipants/Foo/labels/team-a").status_code in (200, 204)
    assert log.actions() == [("label.removed", "team-a")]

    assert _json(api, "DELETE", "/integrations/provider/Bar/consumer/Foo").status_code in (200, 204)
    assert log.actions() == [("integration.deleted", "Foo / Bar")]


def test_entries_name_the_person_the_token_and_the_client(acme):
    api = _api(acme)

    _json(api, "POST", "/pacticipants", {"name": "Foo"})

    with schema_context(acme.schema):
        entry = AuditEvent.objects.get(action="pacticipant.created")
        token_uuid = acme.admin.api_tokens.get(name="rw").uuid
    assert (entry.actor_id, entry.actor_email, entry.actor_kind) == (acme.admin.pk, acme.admin.email, "user")
    assert (entry.token_name, entry.token_uuid) == ("rw", token_uuid)
    assert (entry.ip, entry.user_agent, entry.method, entry.path) == (IP, "pact-cli/1.0", "POST", "/pacticipants")
    assert entry.request_id


def test_a_system_accounts_changes_name_the_system_account(acme):
    bot = member_create(acme, email="ci-bot@acme.example", roles=["administrator"], kind=User.Kind.SYSTEM)

    pact_put(bot.client(), pact_fixture("foo-bar"), version="7")

    with schema_context(acme.schema):
        entry = AuditEvent.objects.get(action="pact.published")
    assert (entry.actor_email, entry.actor_kind, entry.token_name) == ("ci-bot@acme.example", "system_account", "rw")


def test_environment_deployment_and_release_writes_are_audited(acme):
    api = _api(acme)
    pact_put(api, pact_fixture("foo-bar"), version="1")
    log = Log(acme)

    created = _json(api, "POST", "/environments", {"name": "staging", "production": False})
    uuid = created.json()["uuid"]
    assert log.actions() == [("environment.created", "staging")]

    _json(api, "PUT", f"/environments/{uuid}", {"name": "staging", "displayName": "Staging", "production": True})
    [entry] = log.new()
    assert entry.action == "environment.updated"
    assert entry.details == {"before": {"production": False}, "after": {"production": True}}

    deployed = _json(api, "POST", f"/pacticipants/Foo/versions/1/deployed-versions/environment/{uuid}", {})
    assert deployed.status_code == 201
    assert log.actions() == [("deployment.recorded", "Foo 1 in staging")]
    _json(api, "PATCH", f"/deployed-versions/{deployed.json()['uuid']}", {"currentlyDeployed": False}, MERGE_PATCH)
    assert log.actions() == [("deployment.undeployed", "Foo 1 in staging")]

    released = _json(api, "POST", f"/pacticipants/Foo/versions/1/released-versions/environment/{uuid}", {})
    assert released.status_code == 201
    assert log.actions() == [("release.recorded", "Foo 1 in staging")]
    _json(api, "PATCH", f"/released-versions/{released.json()['uuid']}", {"currentlySupported": False}, MERGE_PATCH)
    assert log.actions() == [("release.support_ended", "Foo 1 in staging")]

    assert _json(api, "DELETE", f"/environments/{uuid}").status_code in (200, 204)
    assert log.actions() == [("environment.deleted", "staging")]


def test_webhook_writes_are_audited_without_their_credentials(acme):
    api = _api(acme)
    body = {
        "description": "Build it",
        "events": [{"name": "contract_content_changed"}],
        "request": {
            "method": "POST",
            "url": "https://ci.example.com/build?token=url-secret-123",
            "headers": {"Authorization": "Bearer header-secret-456"},
            "body": {"k": "body-secret-789"},
            "username": "ci",
            "password": "password-secret-000",
        },
    }
    log = Log(acme)

    created = _json(api, "POST", "/webhooks", body)
    assert created.status_code == 201
    uuid = created.json()["_links"]["self"]["href"].rsplit("/", 1)[1]
    [entry] = log.new()
    assert (entry.action, entry.target_id, entry.target_label) == ("webhook.created", uuid, "Build it")
    assert entry.details["host"] == "ci.example.com"

    _json(api, "PUT", f"/webhooks/{uuid}", {**body, "description": "Build it again"})
    [entry] = log.new()
    assert entry.action == "webhook.updated"
    assert entry.details == {"before": {"description": "Build it"}, "after": {"description": "Build it again"}}

    assert _json(api, "DELETE", f"/webhooks/{uuid}").status_code in (200, 204)
    assert log.actions() == [("webhook.deleted", "Build it again")]

    with schema_context(acme.schema):
        dumped = json.dumps(list(AuditEvent.objects.values("details", "target_label", "path")), default=str)
    for secret in ("url-secret-123", "header-secret-456", "body-secret-789", "password-secret-000"):
        assert secret not in dumped


def test_secret_values_never_appear_in_entries(acme):
    plan_set(acme)
    api = _api(acme)

    created = _json(api, "POST", "/secrets", {"name": "CI_TOKEN", "value": "s3cr3t-value-1"})
    uuid = created.json()["uuid"]
    _json(api, "PUT", f"/secrets/{uuid}", {"name": "CI_TOKEN", "value": "s3cr3t-value-2"})

    with schema_context(acme.schema):
        entries = list(AuditEvent.objects.filter(action__startswith="secret.").order_by("id"))
        dumped = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert [e.action for e in entries] == ["secret.created", "secret.updated"]
    assert entries[1].details["value_changed"] is True
    assert "s3cr3t-value-1" not in dumped and "s3cr3t-value-2" not in dumped


def test_a_refused_publication_leaves_no_entry(acme, settings):
    settings.BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION = False
    api = _api(acme)
    pact_put(api, pact_fixture("foo-bar"), version="1")
    log = Log(acme)
    changed = pact_fixture("foo-bar")
    changed["interactions"][0]["description"] += " changed"

    response = contracts_post(api, contract(changed), version="1", branch="other", tags=["new"])

    assert response.status_code == 409
    assert log.new() == []


def test_an_entry_never_outlives_its_rolled_back_change(acme):
    log = Log(acme)

    with schema_context(acme.schema):
        with pytest.raises(RuntimeError), transaction.atomic():
            pacticipant_create(name="Ghost", attributes={})
            raise RuntimeError("the request failed after the write")
        from apps.contracts.models import Pacticipant

        assert not Pacticipant.objects.filter(name="Ghost").exists()

    assert log.new() == []


def test_a_write_outside_any_request_is_the_brokers_own(acme):
    with schema_context(acme.schema):
        pacticipant_create(name="Batch", attributes={})
        entry = AuditEvent.objects.get(action="pacticipant.created")

    assert (entry.actor_id, entry.actor_email, entry.actor_kind, entry.ip) == (None, "", "system", None)


def test_ui_writes_are_audited_with_the_signed_in_person(acme):
    plan_set(acme)
    browser = browser_for(acme, acme.admin)
    browser.defaults.update(REMOTE_ADDR=IP)
    log = Log(acme)

    browser.post("/settings/secrets", {"name": "UI_SECRET", "value": "ui-secret-value"})

    [entry] = log.new()
    assert (entry.action, entry.target_label, entry.actor_email, entry.actor_kind, entry.ip) == (
        "secret.created",
        "UI_SECRET",
        acme.admin.email,
        "user",
        IP,
    )
    assert entry.token_name == "" and entry.token_uuid is None


def test_ui_webhook_changes_are_audited(acme):
    browser = browser_for(acme, acme.admin)
    browser.defaults.update(REMOTE_ADDR=IP)
    form = {
        "description": "From the form",
        "consumer": "",
        "consumer_label": "",
        "provider": "Orders",
        "provider_label": "",
        "events": ["contract_requiring_verification_published"],
        "method": "POST",
        "url": "https://ci.example.com/build",
        "headers": "X-Token: form-secret-abc",
        "body": "",
        "username": "",
        "password": "",
        "enabled": "on",
    }
    with schema_context(acme.schema):
        pacticipant_create(name="Orders", attributes={})
    log = Log(acme)

    created = browser.post("/ui/webhooks/new", form)
    assert created.status_code == 302, created.content.decode()[:2000]
    uuid = created["Location"].rsplit("/", 1)[1]
    browser.post(f"/ui/webhooks/{uuid}/delete")

    entries = log.new()
    assert [(e.action, e.target_id, e.actor_email, e.ip) for e in entries] == [
        ("webhook.created", uuid, acme.admin.email, IP),
        ("webhook.deleted", uuid, acme.admin.email, IP),
    ]
    assert "form-secret-abc" not in json.dumps([e.details for e in entries])


def test_platform_staff_are_named_without_a_row_of_the_organisation(acme):
    from apps.accounts.audit import audit_record

    staff = User(pk=10_000, email="ops@platform.example", is_staff=True)
    with schema_context(acme.schema):
        entry = audit_record(actor=staff, action="billing.plan_set", target=("organisation", "1", "acme"))

    assert (entry.actor_id, entry.actor_email, entry.actor_kind) == (None, "ops@platform.example", "platform_staff")


def test_provider_contracts_verifications_and_bulk_deletes_are_audited(acme):
    from tests.provider_contracts.support import provider_contract_post, publish_body

    api = _api(acme)
    log = Log(acme)

    assert provider_contract_post(api, publish_body(version="3.0.0", tags=("dev",))).status_code == 200
    assert log.actions() == [
        ("version.created", "Pets 3.0.0"),
        ("branch_version.created", "Pets main"),
        ("tag.created", "dev"),
        ("provider_contract.published", "Pets 3.0.0"),
    ]
    assert _json(api, "DELETE", "/contracts/provider/Pets/version/3.0.0").status_code in (200, 204)
    assert log.actions() == [("provider_contract.deleted", "Pets 3.0.0")]

    pact_put(api, pact_fixture("foo-bar"), version="1")
    pact = api.get("/pacts/provider/Bar/consumer/Foo/latest").json()
    result = verification_post(api, pact, provider_version="2")
    log.new()
    assert _json(api, "DELETE", result.json()["_links"]["self"]["href"]).status_code in (200, 204)
    [entry] = log.new()
    number = int(result.json()["_links"]["self"]["href"].rsplit("/", 1)[1])
    assert (entry.action, entry.details["number"]) == ("verification.deleted", number)

    _json(api, "PUT", "/pacticipants/Foo/branches/old/versions/1", {})
    log.new()
    assert _json(api, "DELETE", "/pacticipants/Foo/branches?exclude[]=keep").status_code == 202
    [entry] = log.new()
    assert (entry.action, entry.details["branches"]) == ("branches.deleted", ["old"])

    assert _json(api, "DELETE", "/pacts/provider/Bar/consumer/Foo/versions").status_code in (200, 202, 204)
    assert log.actions() == [("pacts.deleted", "Foo → Bar")]

    assert _json(api, "DELETE", "/pacticipants/Pets").status_code in (200, 204)
    assert log.actions() == [("pacticipant.deleted", "Pets")]

    assert _json(api, "DELETE", "/integrations").status_code in (200, 204)
    assert log.actions() == [("integrations.deleted_all", "all integrations")]


def test_a_version_update_is_audited_as_an_update(acme):
    api = _api(acme)
    _json(api, "PUT", "/pacticipants/Foo/versions/1", {})
    log = Log(acme)

    _json(api, "PUT", "/pacticipants/Foo/versions/1", {"buildUrl": "http://ci/1"})

    [entry] = log.new()
    assert (entry.action, entry.target_label, entry.details["buildUrl"]) == ("version.updated", "Foo 1", "http://ci/1")


def test_a_self_hosted_basic_auth_user_is_named_by_username(acme):
    from apps.accounts.audit import audit_record
    from apps.accounts.authentication import BasicAuthPrincipal

    with schema_context(acme.schema):
        entry = audit_record(actor=BasicAuthPrincipal("ci", False), action="pact.published", target="x")

    assert (entry.actor_id, entry.actor_email, entry.actor_kind) == (None, "ci", "basic_auth")


def test_a_platform_operators_command_is_named_as_platform_staff(acme):
    from apps.accounts.audit import audit_record
    from tenants.operations import Operator

    with schema_context(acme.schema):
        entry = audit_record(actor=Operator("alice"), action="organisation.suspended", target="acme")

    assert (entry.actor_id, entry.actor_email, entry.actor_kind) == (None, "operator:alice", "platform_staff")
