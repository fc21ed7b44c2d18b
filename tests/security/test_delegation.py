"""Delegated rights never escalate: a holder of user:manage, role:manage or system_account:manage
cannot grant, or act on someone holding, a permission it does not hold; only administrators change
administrators. Every vector through the API and through the pages, with an outsider organisation."""

import json

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, Role, User
from apps.accounts.permissions import BUILTIN_ROLES, Perm
from tests.accounts.conftest import browser_for, member_create, plan_set

USER_PERMS = set(BUILTIN_ROLES["user"].permissions)
ONLY_ADMINS = "Only administrators can make someone an administrator."
ADMINS_ONLY_CHANGE = "Only administrators can change an administrator."


@pytest.fixture
def manager(acme):
    """Everything a User has, plus managing people: not an administrator."""
    return member_create(acme, email="manager@acme.example", permissions=USER_PERMS | {Perm.USER_MANAGE})


@pytest.fixture
def plain(acme):
    return member_create(acme, email="plain@acme.example", roles=["user"])


def _uuid(org, key):
    with schema_context(org.schema):
        return str(services.builtin_role(key).uuid)


def _roles(org, user) -> list[str]:
    with schema_context(org.schema):
        return sorted(User.objects.get(pk=user.pk).roles.values_list("name", flat=True))


def _json(client, method, path, body=None):
    return client.generic(method, path, data="" if body is None else json.dumps(body), content_type="application/json")


# --- user:manage ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_manager_cannot_make_itself_administrator_with_the_shortcut(acme, manager):
    response = _json(manager.client(), "PUT", f"/admin/users/{manager.user.uuid}/role/admin", {})

    assert response.status_code == 403
    assert response.json() == {"error": ONLY_ADMINS}
    assert _roles(acme, manager.user) == ["custom manager@acme.example"]


@pytest.mark.django_db
def test_a_user_manager_cannot_give_itself_the_administrator_role(acme, manager):
    response = _json(
        manager.client(), "PUT", f"/admin/users/{manager.user.uuid}/roles", {"roles": [_uuid(acme, "administrator")]}
    )

    assert response.status_code == 403
    assert response.json() == {"error": ONLY_ADMINS}


@pytest.mark.django_db
def test_a_user_manager_cannot_make_someone_else_administrator(acme, manager, plain):
    response = _json(manager.client(), "PUT", f"/admin/users/{plain.user.uuid}/roles/{_uuid(acme, 'administrator')}")

    assert response.status_code == 403
    assert response.json() == {"error": ONLY_ADMINS}
    assert _roles(acme, plain.user) == ["User"]


@pytest.mark.django_db
def test_a_user_manager_cannot_grant_a_role_with_permissions_it_lacks(acme, manager, plain):
    with schema_context(acme.schema):
        billing = services.role_create(actor=None, name="Billing", permission_names=["billing:manage:*"])

    response = _json(manager.client(), "PUT", f"/admin/users/{plain.user.uuid}/roles/{billing.uuid}")

    assert response.status_code == 403
    assert response.json() == {"error": "You cannot grant permissions you do not hold: billing:manage:*."}
    assert _roles(acme, plain.user) == ["User"]


@pytest.mark.django_db
def test_a_user_manager_cannot_change_an_administrators_email(acme, manager, locmem_mail):
    response = _json(manager.client(), "PUT", f"/admin/users/{acme.admin.uuid}", {"email": "mine@evil.example"})
    reset = Client(HTTP_HOST=acme.host).post("/password-reset", {"email": "mine@evil.example"})

    assert response.status_code == 403
    assert response.json() == {"error": ADMINS_ONLY_CHANGE}
    with schema_context(acme.schema):
        assert User.objects.get(pk=acme.admin.pk).email == acme.admin.email
    assert reset.status_code == 302 and locmem_mail == []


@pytest.mark.django_db
def test_a_user_manager_cannot_regenerate_an_administrators_token(acme, manager):
    with schema_context(acme.schema):
        slot = ApiToken.objects.get(user=acme.admin, slot="rw")

    response = _json(manager.client(), "POST", f"/admin/users/{acme.admin.uuid}/tokens/{slot.uuid}/regenerate", {})

    assert response.status_code == 403
    assert response.json() == {"error": ADMINS_ONLY_CHANGE}
    with schema_context(acme.schema):
        assert ApiToken.objects.get(pk=slot.pk).digest == slot.digest


@pytest.mark.django_db
@pytest.mark.parametrize("method, body", [("PATCH", {"active": False}), ("DELETE", None)])
def test_a_user_manager_cannot_deactivate_or_remove_an_administrator(acme, manager, method, body):
    response = _json(manager.client(), method, f"/admin/users/{acme.admin.uuid}", body)

    assert response.status_code == 403
    assert response.json() == {"error": ADMINS_ONLY_CHANGE}
    with schema_context(acme.schema):
        assert User.objects.get(pk=acme.admin.pk).is_active


@pytest.mark.django_db
def test_a_user_manager_cannot_touch_someone_holding_more_than_it(acme, manager):
    auditor = member_create(acme, email="auditor@acme.example", permissions={Perm.CONTRACT_DATA_READ, Perm.AUDIT_READ})

    response = _json(manager.client(), "PUT", f"/admin/users/{auditor.user.uuid}", {"name": "Renamed"})

    assert response.status_code == 403
    assert response.json() == {
        "error": "You cannot change someone who holds permissions you do not hold: audit:read:*."
    }


@pytest.mark.django_db
def test_a_user_manager_still_manages_people_within_its_rights(acme, manager, plain):
    with schema_context(acme.schema):
        viewer = services.builtin_role("viewer")

    renamed = _json(manager.client(), "PUT", f"/admin/users/{plain.user.uuid}", {"name": "Renamed"})
    roles = _json(manager.client(), "PUT", f"/admin/users/{plain.user.uuid}/roles", {"roles": [str(viewer.uuid)]})

    assert renamed.status_code == 200 and renamed.json()["name"] == "Renamed"
    assert roles.status_code == 200
    assert _roles(acme, plain.user) == ["Viewer"]


@pytest.mark.django_db
def test_an_administrator_makes_someone_administrator(acme, plain):
    response = _json(acme.client(), "PUT", f"/admin/users/{plain.user.uuid}/role/admin", {})

    assert response.status_code == 200
    assert _roles(acme, plain.user) == ["Administrator", "User"]


@pytest.mark.django_db
def test_an_invitation_gives_the_default_role_the_inviter_does_not_hold_but_no_other_grant(acme, outsider):
    """PactFlow's rule (issue 17): whoever may invite gives new people the organisation's default
    role, even without its permissions; giving the same role any other way keeps the ceiling."""
    plan_set(acme)
    inviter = member_create(
        acme, email="inviter@acme.example", permissions={Perm.USER_READ, Perm.USER_INVITE, Perm.USER_MANAGE}
    )

    invited = _json(inviter.client(), "POST", "/admin/users/invite-user", {"email": "friend@acme.example"})
    with schema_context(acme.schema):
        friend = User.objects.get(email="friend@acme.example")
        plain = services.user_create(
            email="plain@acme.example", name="Plain", password=None, roles=[services.builtin_role("no_access")]
        )
    regrant = _json(inviter.client(), "PUT", f"/admin/users/{plain.uuid}/roles", {"roles": [_uuid(acme, "user")]})
    robot = _json(inviter.client(), "POST", "/admin/system-accounts", {"name": "bot"})
    elsewhere = Client(HTTP_HOST=outsider.host, HTTP_AUTHORIZATION=f"Bearer {inviter.token}").post(
        "/admin/users/invite-user", {"email": "x@globex.example"}, content_type="application/json"
    )

    assert invited.status_code == 201
    assert _roles(acme, friend) == ["User"]
    assert regrant.status_code == 403
    assert regrant.json()["error"].startswith("You cannot grant permissions you do not hold: contract_data:")
    assert robot.status_code == 403
    assert elsewhere.status_code == 401
    with schema_context(acme.schema):
        assert _roles(acme, plain) == ["No Access"]
    with schema_context(outsider.schema):
        assert not User.objects.filter(email="x@globex.example").exists()


@pytest.mark.django_db
def test_an_organization_administrator_invites_with_a_changed_default_role_but_cannot_grant_it_otherwise(acme):
    plan_set(acme)
    org_admin = member_create(acme, email="oa@acme.example", roles=["organization_administrator"])
    ci_uuid = _uuid(acme, "ci")
    acme.client().put(
        "/preferences/system",
        json.dumps({"preferences": [{"name": "defaultRoleUuid", "value": ci_uuid}]}),
        content_type="application/json",
    )

    invited = _json(org_admin.client(), "POST", "/admin/users/invite-user", {"email": "dev@acme.example"})
    with schema_context(acme.schema):
        dev = User.objects.get(email="dev@acme.example")
    # The former default (User) is now an ordinary grant: refused.
    with schema_context(acme.schema):
        other = services.user_create(
            email="other@acme.example", name="O", password=None, roles=[services.builtin_role("no_access")]
        )
    user_role = _json(org_admin.client(), "PUT", f"/admin/users/{other.uuid}/roles", {"roles": [_uuid(acme, "user")]})

    assert invited.status_code == 201
    assert _roles(acme, dev) == ["CI/CD"]
    assert user_role.status_code == 403
    assert user_role.json()["error"].startswith("You cannot grant permissions you do not hold: contract_data:")


# --- role:manage ------------------------------------------------------------------------------


@pytest.fixture
def role_manager(acme):
    return member_create(
        acme, email="roles@acme.example", permissions={Perm.CONTRACT_DATA_READ, Perm.USER_READ, Perm.ROLE_MANAGE}
    )


@pytest.mark.django_db
def test_a_role_manager_cannot_widen_a_role_it_holds(acme, role_manager):
    with schema_context(acme.schema):
        own = Role.objects.get(name="custom roles@acme.example")
    body = {"name": own.name, "permissions": sorted(own.permissions + ["authentication_settings:manage:*"])}

    response = _json(role_manager.client(), "PUT", f"/admin/roles/{own.uuid}", body)

    assert response.status_code == 403
    assert response.json() == {
        "error": "You cannot grant permissions you do not hold: authentication_settings:manage:*."
    }
    with schema_context(acme.schema):
        assert "authentication_settings:manage:*" not in Role.objects.get(pk=own.pk).permissions


@pytest.mark.django_db
def test_a_role_manager_cannot_create_a_role_beyond_its_rights(acme, role_manager):
    body = {"name": "Everything", "permissions": [{"scope": "billing:manage:*"}]}

    response = _json(role_manager.client(), "POST", "/admin/roles", body)

    assert response.status_code == 403
    assert response.json() == {"error": "You cannot grant permissions you do not hold: billing:manage:*."}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_a_role_manager_cannot_change_or_delete_a_role_granting_more(acme, role_manager, method):
    with schema_context(acme.schema):
        secrets_role = services.role_create(actor=None, name="Secrets", permission_names=["secret:manage:*"])
    body = {"name": "Secrets", "permissions": ["contract_data:read:*"]} if method == "PUT" else None

    response = _json(role_manager.client(), method, f"/admin/roles/{secrets_role.uuid}", body)

    assert response.status_code == 403
    assert response.json() == {
        "error": "You cannot change a role that grants permissions you do not hold: secret:manage:*."
    }
    with schema_context(acme.schema):
        assert Role.objects.get(pk=secrets_role.pk).permissions == ["secret:manage:*"]


@pytest.mark.django_db
def test_a_role_manager_may_create_a_role_within_its_rights(acme, role_manager):
    response = _json(
        role_manager.client(),
        "POST",
        "/admin/roles",
        {"name": "Readers", "permissions": [{"scope": "contract_data:read:*"}]},
    )

    assert response.status_code == 201


# --- system_account:manage ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_system_account_manager_cannot_regenerate_an_administrator_robot_token(acme):
    plan_set(acme)
    bots = member_create(acme, email="bots@acme.example", permissions=USER_PERMS | {Perm.SYSTEM_ACCOUNT_MANAGE})
    with schema_context(acme.schema):
        robot = services.system_account_create(
            actor=None, name="root-bot", roles=[services.builtin_role("administrator")]
        )
        slot = ApiToken.objects.get(user=robot, slot="rw")
    base = f"/admin/system-accounts/{robot.uuid}/tokens"

    regenerate = _json(bots.client(), "POST", f"{base}/{slot.uuid}/regenerate", {})
    create = _json(bots.client(), "POST", base, {"description": "mine", "readOnly": False})

    assert regenerate.status_code == 403 and regenerate.json() == {"error": ADMINS_ONLY_CHANGE}
    assert create.status_code == 403 and create.json() == {"error": ADMINS_ONLY_CHANGE}
    with schema_context(acme.schema):
        assert ApiToken.objects.filter(user=robot).count() == 2


@pytest.mark.django_db
def test_a_system_account_manager_cannot_create_a_robot_holding_more_than_it(acme):
    plan_set(acme)
    bots = member_create(acme, email="bots@acme.example", permissions={Perm.USER_READ, Perm.SYSTEM_ACCOUNT_MANAGE})

    response = _json(bots.client(), "POST", "/admin/system-accounts", {"name": "publisher"})

    assert response.status_code == 403
    assert response.json() == {
        "error": "You cannot grant permissions you do not hold: contract_data:manage:own, "
        "contract_data:manage:team, contract_data:read:*, deployment_and_release:record:*, environment:read:*."
    }


# --- the same rules through the pages --------------------------------------------------------------


@pytest.mark.django_db
def test_the_people_page_refuses_a_user_manager_making_itself_administrator(acme, manager):
    browser = browser_for(acme, manager.user)

    response = browser.post(
        f"/organisation/users/{manager.user.uuid}",
        {"action": "roles", "roles": [_uuid(acme, "administrator")]},
        follow=True,
    )

    assert ONLY_ADMINS in response.content.decode()
    assert _roles(acme, manager.user) == ["custom manager@acme.example"]


@pytest.mark.django_db
def test_the_people_page_refuses_a_user_manager_regenerating_an_administrators_token(acme, manager):
    with schema_context(acme.schema):
        slot = ApiToken.objects.get(user=acme.admin, slot="rw")
    browser = browser_for(acme, manager.user)

    response = browser.post(
        f"/organisation/users/{acme.admin.uuid}", {"action": "regenerate", "token": str(slot.uuid)}, follow=True
    )

    assert ADMINS_ONLY_CHANGE in response.content.decode()
    with schema_context(acme.schema):
        assert ApiToken.objects.get(pk=slot.pk).digest == slot.digest


@pytest.mark.django_db
def test_the_people_page_refuses_a_user_manager_deactivating_an_administrator(acme, manager):
    browser = browser_for(acme, manager.user)

    response = browser.post(f"/organisation/users/{acme.admin.uuid}", {"action": "deactivate"}, follow=True)

    assert ADMINS_ONLY_CHANGE in response.content.decode()
    with schema_context(acme.schema):
        assert User.objects.get(pk=acme.admin.pk).is_active


@pytest.mark.django_db
def test_the_role_page_refuses_widening_a_role_one_holds(acme, role_manager):
    with schema_context(acme.schema):
        own = Role.objects.get(name="custom roles@acme.example")
    browser = browser_for(acme, role_manager.user)

    response = browser.post(
        f"/organisation/roles/{own.uuid}",
        {"name": own.name, "permissions": own.permissions + ["authentication_settings:manage:*"]},
    )

    assert (
        "You cannot grant permissions you do not hold: authentication_settings:manage:*." in response.content.decode()
    )
    with schema_context(acme.schema):
        assert "authentication_settings:manage:*" not in Role.objects.get(pk=own.pk).permissions


# --- the outsider ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_outsider_administrator_cannot_manage_acme_people(acme, outsider, plain):
    response = _json(outsider.client(), "PUT", f"/admin/users/{plain.user.uuid}/role/admin", {})
    spoofed = Client(HTTP_HOST=acme.host, HTTP_AUTHORIZATION=f"Bearer {outsider.token}")

    assert response.status_code == 404
    assert _json(spoofed, "PUT", f"/admin/users/{plain.user.uuid}/role/admin", {}).status_code == 401
    assert _roles(acme, plain.user) == ["User"]


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox
