"""Deactivation: the user's tokens and sessions stop at once; the organisation keeps an admin."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import User
from tests.accounts.conftest import PASSWORD, member_create


@pytest.mark.django_db
def test_a_deactivated_users_tokens_stop_working_at_once(world):
    bob = member_create(world.org, email="bob@acme.example")
    assert bob.client().get("/settings/tokens").status_code == 200

    with schema_context(world.org.schema):
        services.user_deactivate(actor=world.org.admin, user=bob.user)

    assert bob.client().get("/settings/tokens").status_code == 401
    assert bob.client(bob.read_token).get("/settings/tokens").status_code == 401


@pytest.mark.django_db
def test_a_deactivated_users_session_ends_and_they_cannot_sign_in(world):
    bob = member_create(world.org, email="bob@acme.example")
    browser = Client(HTTP_HOST=world.org.host)
    browser.post("/login", {"username": "bob@acme.example", "password": PASSWORD})
    assert browser.get("/account/tokens").status_code == 200

    with schema_context(world.org.schema):
        services.user_deactivate(actor=world.org.admin, user=bob.user)

    assert browser.get("/account/tokens").status_code == 302
    again = Client(HTTP_HOST=world.org.host)
    again.post("/login", {"username": "bob@acme.example", "password": PASSWORD})
    assert "_auth_user_id" not in again.session


@pytest.mark.django_db
def test_reactivated_users_tokens_work_again(world):
    bob = member_create(world.org, email="bob@acme.example")
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")

    off = admin.put(f"/admin/users/{bob.user.uuid}", {"active": False}, content_type="application/json")
    assert off.json()["active"] is False
    on = admin.put(f"/admin/users/{bob.user.uuid}", {"active": True}, content_type="application/json")

    assert on.status_code == 200 and on.json()["active"] is True
    assert bob.client().get("/settings/tokens").status_code == 200


@pytest.mark.django_db
def test_the_last_administrator_cannot_be_deactivated_demoted_or_removed(world):
    other = member_create(world.org, email="other-admin@acme.example", roles=["user", "administrator"])
    with schema_context(world.org.schema):
        services.user_deactivate(actor=other.user, user=world.org.admin)
        for attempt in (
            lambda: services.user_deactivate(actor=None, user=other.user),
            lambda: services.user_remove(actor=None, user=other.user),
            lambda: services.user_roles_set(actor=None, user=other.user, roles=[services.builtin_role("user")]),
        ):
            with pytest.raises(services.IdentityError) as refused:
                attempt()
            assert "last active administrator" in refused.value.message
        assert User.objects.get(pk=other.user.pk).is_active


@pytest.mark.django_db
def test_nobody_deactivates_or_removes_themselves(world):
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")

    response = admin.delete(f"/admin/users/{world.org.admin.uuid}")

    assert response.status_code == 422
    assert response.json() == {"errors": {"user": ["You cannot remove yourself."]}}


@pytest.mark.django_db
def test_removing_a_user_deletes_them_and_their_tokens(world):
    bob = member_create(world.org, email="bob@acme.example")
    admin = Client(HTTP_HOST=world.org.host, HTTP_AUTHORIZATION=f"Bearer {world.org.token}")

    assert admin.delete(f"/admin/users/{bob.user.uuid}").status_code == 204

    assert bob.client().get("/settings/tokens").status_code == 401
    assert admin.get(f"/admin/users/{bob.user.uuid}").status_code == 404
