"""System accounts: no password, no sign-in, no seat, own tokens, limited by plan."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, User
from apps.accounts.permissions import Perm, user_has_permission
from tests.accounts.conftest import plan_set


def _admin(org):
    return Client(HTTP_HOST=org.host, HTTP_AUTHORIZATION=f"Bearer {org.token}")


@pytest.mark.django_db
def test_creating_a_system_account_answers_201_with_its_location(world):
    response = _admin(world.org).post("/admin/system-accounts", {"name": "deployer"}, content_type="application/json")

    assert response.status_code == 201
    uuid = response["Location"].rsplit("/", 1)[1]
    body = _admin(world.org).get(f"/admin/system-accounts/{uuid}").json()
    assert body["type"] == 1 and body["typeDescription"] == "System Account" and body["name"] == "deployer"
    assert [role["name"] for role in body["_embedded"]["roles"]] == ["CI/CD"]


@pytest.mark.django_db
def test_a_system_account_has_no_password_and_cannot_sign_in(world):
    with schema_context(world.org.schema):
        bot = User.objects.get(uuid=world.bot.uuid)
        assert not bot.has_usable_password()
    browser = Client(HTTP_HOST=world.org.host)

    browser.post("/login", {"username": bot.email, "password": ""})

    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_a_system_account_publishes_with_its_own_token_but_cannot_manage_people(world):
    with schema_context(world.org.schema):
        slot = ApiToken.objects.get(user=world.bot, slot="rw")
        _, secret = services.token_rotate(actor=world.org.admin, token=slot)
        assert user_has_permission(world.bot, Perm.CONTRACT_DATA_MANAGE)
    bot = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert bot.get("/user").json()["type"] == 1
    assert bot.get("/admin/users").status_code == 403


@pytest.mark.django_db
def test_the_plan_limits_active_system_accounts(acme):
    plan_set(acme, plan="team")  # 2 system accounts
    with schema_context(acme.schema):
        first = services.system_account_create(actor=acme.admin, name="one")
        services.system_account_create(actor=acme.admin, name="two")

        with pytest.raises(services.LimitReached) as refused:
            services.system_account_create(actor=acme.admin, name="three")
        assert "allows 2 active system accounts" in refused.value.message

        services.user_deactivate(actor=acme.admin, user=first)
        services.system_account_create(actor=acme.admin, name="three")
        with pytest.raises(services.LimitReached):
            services.user_reactivate(actor=acme.admin, user=first)


@pytest.mark.django_db
def test_the_free_plan_has_no_system_accounts_and_the_api_says_so(acme):
    response = _admin(acme).post("/admin/system-accounts", {"name": "ci"}, content_type="application/json")

    assert response.status_code == 422
    assert "Developer plan allows 0 active system accounts" in response.json()["errors"]["name"][0]


@pytest.mark.django_db
def test_system_account_tokens_are_listed_created_rotated_and_revoked_by_admins(world):
    admin = _admin(world.org)
    base = f"/admin/system-accounts/{world.bot.uuid}/tokens"

    created = admin.post(base, {"description": "deploy-prod"}, content_type="application/json").json()
    rotated = admin.post(f"{base}/{created['uuid']}/regenerate", {}, content_type="application/json").json()
    listed = [item["description"] for item in admin.get(base).json()["_embedded"]["items"]]
    revoked = admin.delete(f"{base}/{created['uuid']}")

    assert created["value"].startswith("cbt_rw_") and rotated["value"] != created["value"]
    assert "deploy-prod" in listed
    assert revoked.status_code == 204
    assert (
        Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {rotated['value']}").get("/user").status_code
        == 401
    )


@pytest.mark.django_db
def test_changing_a_system_account_through_admin_users_needs_the_system_account_permission(world):
    from tests.accounts.conftest import member_create

    people_admin = member_create(world.org, email="hr@acme.example", permissions={Perm.USER_MANAGE, Perm.USER_READ})

    read = people_admin.client().get(f"/admin/users/{world.bot.uuid}")
    change = people_admin.client().put(
        f"/admin/users/{world.bot.uuid}", {"active": False}, content_type="application/json"
    )

    assert read.status_code == 200 and read.json()["type"] == 1
    assert change.status_code == 403


@pytest.mark.django_db
def test_system_accounts_of_another_organisation_are_not_found(world, outsider):
    response = _admin(outsider).get(f"/admin/system-accounts/{world.bot.uuid}")

    assert response.status_code == 404
    assert response.json() == {"error": "No such system account."}
