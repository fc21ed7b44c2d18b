"""Tokens: failed authentications are counted and audited without the secret; an expiring token
cannot mint a token that outlives it, nor regenerate one that does."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, AuditEvent
from apps.accounts.token_failures import token_failures_count
from tests.accounts.conftest import member_create, plan_set

FORGED = "cbt_rw_" + "x" * 43


def _failures(org) -> list[AuditEvent]:
    with schema_context(org.schema):
        return list(AuditEvent.objects.filter(action="token.authentication_failed").order_by("id"))


def _count(org) -> int:
    with schema_context(org.schema):
        return token_failures_count()


@pytest.mark.django_db
def test_an_unknown_token_is_refused_counted_and_audited_without_its_value(acme, caplog):
    response = acme.client(FORGED).get("/pacticipants")

    assert response.status_code == 401
    assert response.json() == {"error": "Invalid or expired token."}
    [event] = _failures(acme)
    assert event.details == {
        "reason": "unknown",
        "kind": "cbt_rw",
        "fingerprint": hashlib.sha256(FORGED.encode()).hexdigest()[:12],
    }
    assert FORGED not in json.dumps(event.details) + event.target_label + event.target_id
    assert FORGED[7:] not in caplog.text
    assert _count(acme) == 1


@pytest.mark.django_db
def test_a_revoked_token_on_an_unsafe_request_is_audited_despite_the_rollback(acme):
    member = member_create(acme, email="dev@acme.example", roles=["user"])
    with schema_context(acme.schema):
        token = ApiToken.objects.get(user=member.user, name="rw")
        services.token_revoke(actor=None, token=token)

    response = member.client().put(
        "/pacticipants/Foo", data=json.dumps({"name": "Foo"}), content_type="application/json"
    )

    assert response.status_code == 401
    [event] = _failures(acme)
    assert event.details == {
        "reason": "revoked",
        "kind": "cbt_rw",
        "fingerprint": token.digest[:12],
        "token": str(token.uuid),
        "prefix": token.prefix,
        "owner": "dev@acme.example",
    }
    assert event.ip == "127.0.0.1"


@pytest.mark.django_db
def test_expired_tokens_and_tokens_of_deactivated_people_say_why_in_the_audit_log(acme):
    member = member_create(acme, email="gone@acme.example", roles=["user"])
    with schema_context(acme.schema):
        _, expired = services.token_create(
            user=member.user, name="old", read_only=True, expires_at=timezone.now() + timedelta(seconds=1)
        )
        ApiToken.objects.filter(name="old", user=member.user).update(expires_at=timezone.now())

    acme.client(expired).get("/pacticipants")
    with schema_context(acme.schema):
        services.user_deactivate(actor=None, user=member.user)
    acme.client(member.token).get("/pacticipants")

    assert [event.details["reason"] for event in _failures(acme)] == ["expired", "owner deactivated"]
    assert _count(acme) == 2


@pytest.mark.django_db
def test_failures_are_counted_per_organisation(acme, outsider):
    acme.client(FORGED).get("/pacticipants")
    Client(HTTP_HOST=outsider.host, HTTP_AUTHORIZATION=f"Bearer {acme.token}").get("/pacticipants")
    Client(HTTP_HOST=outsider.host, HTTP_AUTHORIZATION=f"Bearer {acme.token}").get("/pacticipants")

    assert _count(acme) == 1 and _count(outsider) == 2
    [event] = _failures(acme)
    assert event.details["reason"] == "unknown"
    assert [event.details["reason"] for event in _failures(outsider)] == ["unknown", "unknown"]


@pytest.mark.django_db
def test_administrators_read_failed_token_authentications_in_the_audit_api(acme):
    acme.client(FORGED).get("/pacticipants")

    response = acme.client().get("/audit?type=token.authentication_failed")

    assert response.status_code == 200
    [event] = response.json()["events"]
    assert FORGED not in json.dumps(event)


# --- an expiring token cannot outlive itself ------------------------------------------------------


@pytest.fixture
def expiring(acme):
    """A person whose read-write token expires in one day."""
    member = member_create(acme, email="temp@acme.example", roles=["user"])
    with schema_context(acme.schema):
        token, secret = services.token_create(
            user=member.user, name="one day", read_only=False, expires_at=timezone.now() + timedelta(days=1)
        )
    return member, token, secret


def _create(client, **body):
    return client.post(
        "/settings/tokens", data=json.dumps({"description": "minted", **body}), content_type="application/json"
    )


@pytest.mark.django_db
def test_an_expiring_token_cannot_mint_a_token_that_never_expires(expiring):
    member, token, secret = expiring

    response = _create(member.client(secret), readOnly=False)

    assert response.status_code == 422
    assert response.json() == {
        "errors": {
            "expiresAt": [
                f"The token you are using expires at {token.expires_at.isoformat(timespec='seconds')}; "
                "a token it creates must expire no later than that."
            ]
        }
    }


@pytest.mark.django_db
def test_an_expiring_token_cannot_mint_a_token_outliving_it(acme, expiring):
    member, token, secret = expiring
    later = (token.expires_at + timedelta(days=30)).isoformat()

    response = _create(member.client(secret), readOnly=False, expiresAt=later)

    assert response.status_code == 422
    with schema_context(acme.schema):
        assert not ApiToken.objects.filter(name="minted").exists()


@pytest.mark.django_db
def test_an_expiring_token_may_mint_a_token_expiring_sooner(expiring):
    member, token, secret = expiring
    sooner = (token.expires_at - timedelta(hours=1)).isoformat()

    response = _create(member.client(secret), readOnly=True, expiresAt=sooner)

    assert response.status_code == 201


@pytest.mark.django_db
def test_a_non_expiring_token_mints_non_expiring_tokens(expiring):
    member, _, _ = expiring

    assert _create(member.client(), readOnly=True).status_code == 201


@pytest.mark.django_db
def test_an_expiring_token_cannot_regenerate_a_token_that_never_expires(acme, expiring):
    member, token, secret = expiring
    with schema_context(acme.schema):
        slot = ApiToken.objects.get(user=member.user, slot="rw")

    response = member.client(secret).post(
        f"/settings/tokens/{slot.uuid}/regenerate", data="{}", content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": (
            f"The token you are using expires at {token.expires_at.isoformat(timespec='seconds')}; "
            "it cannot regenerate a token that expires later or never."
        )
    }
    with schema_context(acme.schema):
        assert ApiToken.objects.get(pk=slot.pk).digest == slot.digest


@pytest.mark.django_db
def test_an_expiring_token_cannot_mint_a_lasting_system_account_token(acme):
    plan_set(acme)
    admin_temp = member_create(acme, email="temp-admin@acme.example", roles=["administrator"])
    with schema_context(acme.schema):
        _, secret = services.token_create(
            user=admin_temp.user, name="day", read_only=False, expires_at=timezone.now() + timedelta(days=1)
        )
        bot = services.system_account_create(actor=None, name="deployer")

    response = admin_temp.client(secret).post(
        f"/admin/system-accounts/{bot.uuid}/tokens",
        data=json.dumps({"description": "forever"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["expiresAt"]
