"""Secrets: write-only over the API, envelope-encrypted per tenant, rotatable without loss."""

import base64
import json
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.secrets import crypto, services
from apps.secrets.models import DataKey, Secret

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def new_master_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"


def test_create_list_update_and_delete_never_return_the_value(acme):
    client = acme.client()
    created = post(client, "/secrets", {"name": "CI_TOKEN", "description": "for CI", "value": "v4lue-1"})
    uuid = created.json()["uuid"]
    updated = client.put(
        f"/secrets/{uuid}", json.dumps({"value": "v4lue-2", "description": "rotated"}), content_type="application/json"
    )
    listed = client.get("/secrets")

    assert created.status_code == 201 and created["Location"].endswith(f"/secrets/{uuid}")
    assert updated.status_code == 200 and updated.json()["description"] == "rotated"
    assert [s["name"] for s in listed.json()["_embedded"]["secrets"]] == ["CI_TOKEN"]
    for response in (created, updated, listed, client.get(f"/secrets/{uuid}")):
        assert "v4lue" not in response.content.decode() and "value" not in response.json()
    with schema_context(acme.schema):
        assert services.secret_values_resolve({"CI_TOKEN"}, team_id=None) == {"CI_TOKEN": "v4lue-2"}
        assert b"v4lue" not in bytes(Secret.objects.get().ciphertext)
    assert client.delete(f"/secrets/{uuid}").status_code == 204
    assert client.get(f"/secrets/{uuid}").status_code == 404


def test_invalid_or_duplicate_secrets_are_refused_in_the_brokers_error_shape(acme):
    client = acme.client()
    post(client, "/secrets", {"name": "A", "value": "x"})

    assert post(client, "/secrets", {"name": "A", "value": "y"}).json() == {
        "errors": {"name": ["a secret named 'A' already exists."]}
    }
    assert set(post(client, "/secrets", {"name": "bad name"}).json()["errors"]) == {"name", "value"}


def test_the_outsider_and_read_only_tokens_cannot_see_or_change_acmes_secrets(acme, outsider):
    uuid = post(acme.client(), "/secrets", {"name": "A", "value": "x"}).json()["uuid"]

    assert outsider.client().get(f"/secrets/{uuid}").status_code == 404
    assert outsider.client().get("/secrets").json()["_embedded"]["secrets"] == []
    assert post(acme.client(token=acme.read_token), "/secrets", {"name": "B", "value": "y"}).status_code == 403


def test_a_ciphertext_copied_to_another_tenant_does_not_decrypt(acme, outsider):
    with schema_context(acme.schema):
        stolen = services.secret_create(name="A", value="acme-only")
    with schema_context(outsider.schema):
        services.secret_create(name="A", value="globex")
        Secret.objects.filter(name="A").update(nonce=stolen.nonce, ciphertext=stolen.ciphertext)
        with pytest.raises(crypto.DecryptionFailed):
            services.secret_values_resolve({"A"}, team_id=None)


def test_master_key_rotation_rewraps_data_keys_and_old_key_can_then_be_removed(acme, settings):
    with schema_context(acme.schema):
        services.secret_create(name="A", value="kept")
    old = settings.SECRETS_MASTER_KEYS
    settings.SECRETS_MASTER_KEYS = f"{new_master_key('k2')},{old}"

    call_command("secrets_rewrap_data_keys", "--all", stdout=open(os.devnull, "w"))
    settings.SECRETS_MASTER_KEYS = settings.SECRETS_MASTER_KEYS.split(",")[0]  # old key removed

    with schema_context(acme.schema):
        assert DataKey.objects.get().master_key_id == "k2"
        assert services.secret_values_resolve({"A"}, team_id=None) == {"A": "kept"}


def test_data_key_rotation_reencrypts_every_secret_under_a_new_key(acme):
    with schema_context(acme.schema):
        services.secret_create(name="A", value="one")
        services.secret_create(name="B", value="two")
        before = DataKey.objects.get().pk
    call_command("secrets_rotate_data_key", "--schema", acme.schema, stdout=open(os.devnull, "w"))

    with schema_context(acme.schema):
        assert DataKey.objects.get().pk != before
        assert services.secret_values_resolve({"A", "B"}, team_id=None) == {"A": "one", "B": "two"}
        assert connection.schema_name == acme.schema


def test_secrets_are_refused_without_a_master_key(acme, settings):
    settings.SECRETS_MASTER_KEYS = ""

    response = post(acme.client(), "/secrets", {"name": "A", "value": "x"})

    assert response.status_code == 409 and "no master key" in response.json()["error"]


def test_bad_master_keys_fail_loudly():
    with pytest.raises(ValueError):
        crypto.master_keys_parse("k1:" + base64.b64encode(b"short").decode())


def test_a_teams_secret_serves_only_its_teams_webhooks_and_its_team_is_echoed_and_fixed(acme):
    from apps.accounts import services as account_services

    client = acme.client()
    with schema_context(acme.schema):
        team = account_services.team_create(actor=None, name="Payments")
    created = post(client, "/secrets", {"name": "TEAM_ONLY", "value": "t", "teamUuid": str(team.uuid)})
    post(client, "/secrets", {"name": "EVERYONE", "value": "e"})
    moved = client.put(
        f"/secrets/{created.json()['uuid']}", json.dumps({"teamUuid": None}), content_type="application/json"
    )
    unknown = post(client, "/secrets", {"name": "NOPE", "value": "n", "teamUuid": "not-a-team"})

    assert created.status_code == 201 and created.json()["teamUuid"] == str(team.uuid)
    assert moved.status_code == 400 and moved.json() == {"errors": {"teamUuid": ["a secret's team cannot be changed"]}}
    assert unknown.status_code == 400 and unknown.json() == {"errors": {"teamUuid": ["no team with UUID not-a-team"]}}
    with schema_context(acme.schema):
        both = {"TEAM_ONLY", "EVERYONE"}
        assert services.secret_values_resolve(both, team_id=team.pk) == {"TEAM_ONLY": "t"}
        assert services.secret_values_resolve(both, team_id=None) == {"EVERYONE": "e"}


def test_deleting_a_team_leaves_its_secrets_team_less(acme):
    from apps.accounts import services as account_services

    with schema_context(acme.schema):
        team = account_services.team_create(actor=None, name="Payments")
        services.secret_create(name="KEPT", value="k", team=team)
        account_services.team_delete(actor=None, team=team)

        assert Secret.objects.get(name="KEPT").team is None
        assert services.secret_values_resolve({"KEPT"}, team_id=None) == {"KEPT": "k"}
