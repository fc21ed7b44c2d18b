"""The audit log: every identity change recorded with who, what, when and from where."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.audit import audit_record
from apps.accounts.models import AuditEvent
from tests.accounts.conftest import member_create


def _admin(org, **extra):
    return Client(HTTP_HOST=org.host, HTTP_AUTHORIZATION=f"Bearer {org.token}", **extra)


def _actions(org) -> list[str]:
    with schema_context(org.schema):
        return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


@pytest.mark.django_db
def test_api_changes_are_audited_with_actor_target_and_client_address(world):
    with schema_context(world.org.schema):
        AuditEvent.objects.all().delete()
    admin = _admin(world.org, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="pact-cli/1.0")

    admin.put(f"/admin/users/{world.target.uuid}", {"active": False}, content_type="application/json")

    with schema_context(world.org.schema):
        event = AuditEvent.objects.get(action="user.deactivated")
    assert event.actor_id == world.org.admin.pk and event.actor_email == world.org.admin.email
    assert (event.target_type, event.target_id, event.target_label) == (
        "user",
        str(world.target.uuid),
        "target@acme.example",
    )
    assert event.ip == "203.0.113.9" and event.user_agent == "pact-cli/1.0" and event.request_id


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_appended(world, settings):
    settings.TRUST_PROXY = True
    admin = _admin(world.org, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")

    admin.post("/admin/teams", {"name": "Proxied"}, content_type="application/json")

    with schema_context(world.org.schema):
        assert AuditEvent.objects.get(action="team.created", target_label="Proxied").ip == "198.51.100.7"


@pytest.mark.django_db
def test_every_kind_of_identity_change_leaves_an_entry(world):
    with schema_context(world.org.schema):
        AuditEvent.objects.all().delete()
        admin = world.org.admin
        bob = services.user_create(email="bob@acme.example", name="Bob", password=None, actor=admin)
        services.user_update(actor=admin, user=bob, name="Robert")
        services.user_roles_set(actor=admin, user=bob, roles=[services.builtin_role("viewer")])
        services.user_deactivate(actor=admin, user=bob)
        services.user_reactivate(actor=admin, user=bob)
        token, _ = services.token_create(user=bob, name="x", read_only=True, actor=admin)
        services.token_rotate(actor=admin, token=token)
        services.token_revoke(actor=admin, token=token)
        role = services.role_create(actor=admin, name="Auditors", permission_names=["audit:read:*"])
        services.role_update(actor=admin, role=role, name="Auditors", permission_names=[])
        services.role_delete(actor=admin, role=role)
        team = services.team_create(actor=admin, name="T")
        services.team_members_add(actor=admin, team=team, member_uuids=[bob.uuid])
        services.team_delete(actor=admin, team=team)
        services.system_account_create(actor=admin, name="bot-2")
        services.user_invite(actor=admin, email="inv@acme.example", base_url="http://x/")
        services.user_remove(actor=admin, user=bob)

    actions = set(_actions(world.org))

    assert {
        "user.created",
        "user.updated",
        "user.roles_changed",
        "user.deactivated",
        "user.reactivated",
        "token.created",
        "token.rotated",
        "token.revoked",
        "role.created",
        "role.updated",
        "role.deleted",
        "team.created",
        "team.updated",
        "team.deleted",
        "user.invited",
        "user.removed",
    } <= actions


@pytest.mark.django_db
def test_a_refused_change_leaves_no_entry(world):
    with schema_context(world.org.schema):
        before = AuditEvent.objects.count()
        with pytest.raises(services.IdentityError):
            services.role_create(actor=None, name="Bad", permission_names=["nope"])
        assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_audit_entries_never_contain_token_secrets(world):
    with schema_context(world.org.schema):
        token, secret = services.token_create(user=world.target, name="x", read_only=False)
        _, rotated = services.token_rotate(actor=None, token=token)
        dumped = str(list(AuditEvent.objects.values()))

    assert secret not in dumped and rotated not in dumped


@pytest.mark.django_db
def test_other_apps_record_their_own_changes(world):
    from django.test import RequestFactory

    request = RequestFactory().post("/secrets", REMOTE_ADDR="192.0.2.1")
    with schema_context(world.org.schema):
        event = audit_record(
            actor=world.org.admin,
            action="secret.created",
            target=("secret", "abc", "GITHUB"),
            details={"team": None},
            request=request,
        )

    assert (event.action, event.target_label, event.ip) == ("secret.created", "GITHUB", "192.0.2.1")


@pytest.mark.django_db
def test_admins_read_the_log_through_the_api_filtered_and_paged(world):
    admin = _admin(world.org)
    admin.post("/admin/teams", {"name": "One"}, content_type="application/json")
    admin.post("/admin/teams", {"name": "Two"}, content_type="application/json")

    page = admin.get("/audit?type=team.&pageSize=1&sort=-timestamp").json()
    oldest_first = admin.get("/audit?type=team.").json()  # PactFlow's default: +timestamp

    assert [e["target"]["label"] for e in page["events"]] == ["Two"]
    assert page["events"][0]["user_email"] == world.org.admin.email
    assert "next" in page["_links"]
    assert [e["target"]["label"] for e in oldest_first["events"]][-2:] == ["One", "Two"]


@pytest.mark.django_db
def test_a_page_far_past_the_end_is_empty_not_a_server_error(world):
    admin = _admin(world.org)

    response = admin.get(f"/audit?pageNumber={10**18}&pageSize=100")
    users = admin.get(f"/admin/users?page={10**18}")

    assert (response.status_code, response.json()["events"]) == (200, [])
    assert "next" not in response.json()["_links"]
    assert users.status_code == 200


@pytest.mark.django_db
def test_the_audit_page_lists_entries(world):
    from tests.accounts.conftest import browser_for

    _admin(world.org).post("/admin/teams", {"name": "Shown"}, content_type="application/json")

    html = browser_for(world.org, world.org.admin).get("/organisation/audit").content.decode()

    assert "team.created" in html and "Shown" in html


@pytest.mark.django_db
def test_an_organisation_never_sees_another_ones_log(acme, outsider):
    _admin(acme).post("/admin/teams", {"name": "Secret plans"}, content_type="application/json")

    events = _admin(outsider).get("/audit").json()["events"]

    assert "Secret plans" not in str(events)


@pytest.mark.django_db
def test_people_without_the_audit_permission_cannot_read_it(world):
    viewer = member_create(world.org, email="v@acme.example", roles=["user"])

    assert viewer.client().get("/audit").status_code == 403
