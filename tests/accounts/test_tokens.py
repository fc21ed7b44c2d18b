"""API tokens: two slot tokens each, named tokens with expiry, shown once, hashed, rotatable."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken
from apps.accounts.tokens import token_digest
from tests.accounts.conftest import member_create


def _api(member_or_org, token=None):
    return Client(HTTP_HOST=member_or_org.host, HTTP_AUTHORIZATION=f"Bearer {token or member_or_org.token}")


@pytest.mark.django_db
def test_every_user_has_a_read_only_and_a_read_write_token_listed_without_values(world):
    bob = member_create(world.org, email="bob@acme.example")

    items = _api(bob).get("/settings/tokens").json()["_embedded"]["items"]

    slots = [(item["description"], item["readOnly"]) for item in items if item["kind"] != "named"]
    assert slots == [("Read/write token (CI)", False), ("Read only token (developer)", True)]
    assert all("value" not in item for item in items)


@pytest.mark.django_db
def test_a_token_is_shown_once_and_stored_only_as_a_hash(world):
    bob = member_create(world.org, email="bob@acme.example")

    created = _api(bob).post(
        "/settings/tokens", {"description": "laptop", "readOnly": True}, content_type="application/json"
    )

    assert created.status_code == 201
    secret = created.json()["value"]
    assert secret.startswith("cbt_ro_")
    assert "value" not in _api(bob).get(f"/settings/tokens/{created.json()['uuid']}").json()
    with schema_context(world.org.schema):
        row = ApiToken.objects.get(uuid=created.json()["uuid"])
        assert row.digest == token_digest(secret) and secret not in (row.digest, row.prefix)
    assert _api(bob, secret).get("/settings/tokens").status_code == 200


@pytest.mark.django_db
def test_rotation_kills_the_old_secret_at_once_and_the_new_one_works(world):
    bob = member_create(world.org, email="bob@acme.example")
    with schema_context(world.org.schema):
        slot = ApiToken.objects.get(user=bob.user, slot="rw")
        _, old_secret = services.token_rotate(actor=bob.user, token=slot)
    assert _api(bob, old_secret).get("/settings/tokens").status_code == 200

    response = _api(bob, old_secret).post(
        f"/settings/tokens/{slot.uuid}/regenerate", {}, content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["uuid"] == str(slot.uuid) and body["description"] == "Read/write token (CI)"
    assert body["value"].startswith("cbt_rw_")
    assert _api(bob, old_secret).get("/settings/tokens").status_code == 401
    assert _api(bob, body["value"]).get("/settings/tokens").status_code == 200


@pytest.mark.django_db
def test_an_admin_can_rotate_someone_elses_token(world):
    bob = member_create(world.org, email="bob@acme.example")
    with schema_context(world.org.schema):
        named = ApiToken.objects.get(user=bob.user, name="rw")

    response = _api(world.org).post(
        f"/admin/users/{bob.user.uuid}/tokens/{named.uuid}/regenerate", {}, content_type="application/json"
    )

    assert response.status_code == 201
    assert _api(bob).get("/settings/tokens").status_code == 401


@pytest.mark.django_db
def test_nobody_can_touch_another_users_token_through_settings_tokens(world):
    bob = member_create(world.org, email="bob@acme.example")
    with schema_context(world.org.schema):
        admins = ApiToken.objects.get(user=world.org.admin, slot="rw")

    response = _api(bob).post(f"/settings/tokens/{admins.uuid}/regenerate", {}, content_type="application/json")

    assert response.status_code == 404
    assert response.json() == {"error": "No such token."}


@pytest.mark.django_db
def test_a_revoked_named_token_stops_working_and_slot_tokens_cannot_be_revoked(world):
    bob = member_create(world.org, email="bob@acme.example")
    with schema_context(world.org.schema):
        named = ApiToken.objects.get(user=bob.user, name="ro")
        slot = ApiToken.objects.get(user=bob.user, slot="ro")

    assert _api(bob).delete(f"/settings/tokens/{named.uuid}").status_code == 204
    assert _api(bob, bob.read_token).get("/settings/tokens").status_code == 401
    refused = _api(bob).delete(f"/settings/tokens/{slot.uuid}")
    assert refused.status_code == 422 and "regenerate" in refused.json()["errors"]["token"][0]


@pytest.mark.django_db
def test_an_expired_token_is_refused(world):
    bob = member_create(world.org, email="bob@acme.example")
    with schema_context(world.org.schema):
        token, secret = services.token_create(
            user=bob.user, name="short", read_only=True, expires_at=timezone.now() + timedelta(hours=1)
        )
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert _api(bob, secret).get("/settings/tokens").status_code == 401


@pytest.mark.django_db
def test_an_expiry_in_the_past_or_unparseable_is_refused(world):
    bob = member_create(world.org, email="bob@acme.example")

    past = _api(bob).post(
        "/settings/tokens",
        {"description": "x", "expiresAt": "2001-01-01T00:00:00Z"},
        content_type="application/json",
    )
    garbage = _api(bob).post(
        "/settings/tokens", {"description": "x", "expiresAt": "soon"}, content_type="application/json"
    )

    assert past.status_code == 422 and "future" in past.json()["errors"]["expiresAt"][0]
    assert garbage.status_code == 400 and "expiresAt" in garbage.json()["errors"]


@pytest.mark.django_db
def test_use_records_last_used_time(world):
    bob = member_create(world.org, email="bob@acme.example")

    _api(bob).get("/settings/tokens")

    item = next(i for i in _api(bob).get("/settings/tokens").json()["_embedded"]["items"] if i["description"] == "rw")
    assert item["lastUsedAt"] is not None and item["createdAt"] is not None


@pytest.mark.django_db
def test_a_token_of_one_organisation_is_unknown_in_another(acme, outsider):
    response = Client(HTTP_HOST=outsider.host, HTTP_AUTHORIZATION=f"Bearer {acme.token}").get("/settings/tokens")

    assert response.status_code == 401


@pytest.mark.django_db
def test_the_my_tokens_page_shows_a_new_token_once_with_a_copy_button(world):
    from tests.accounts.conftest import browser_for

    bob = member_create(world.org, email="bob@acme.example")
    browser = browser_for(world.org, bob.user)

    created = browser.post("/account/tokens", {"action": "create", "name": "laptop", "read_only": "on"})
    html = created.content.decode()
    listing = browser.get("/account/tokens").content.decode()

    assert 'data-copy="#new-token-value"' in html
    secret = html.split('id="new-token-value"')[1].split('value="')[1].split('"')[0]
    assert secret.startswith("cbt_ro_")
    assert secret not in listing and "laptop" in listing
    assert _api(bob, secret).get("/settings/tokens").status_code == 200
