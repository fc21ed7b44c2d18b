"""Sign-in lock-out after repeated failures: per organisation, per email and address."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEvent
from tests.accounts.conftest import PASSWORD


def _login(org, email, password, ip="198.51.100.1"):
    client = Client(HTTP_HOST=org.host, REMOTE_ADDR=ip)
    response = client.post("/login", {"username": email, "password": password})
    return client, response


def _fail(org, email, times, ip="198.51.100.1"):
    for _ in range(times):
        _login(org, email, "wrong-password", ip=ip)


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_against_the_right_password(acme):
    _fail(acme, "admin@acme.example", 5)

    client, response = _login(acme, "admin@acme.example", PASSWORD)

    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.content.decode()
    with schema_context(acme.schema):
        assert AuditEvent.objects.filter(action="user.locked_out").count() == 1


@pytest.mark.django_db
def test_fewer_failures_do_not_lock_and_a_success_resets_the_count(acme):
    _fail(acme, "admin@acme.example", 4)
    client, _ = _login(acme, "admin@acme.example", PASSWORD)
    assert "_auth_user_id" in client.session

    _fail(acme, "admin@acme.example", 4)
    client, _ = _login(acme, "admin@acme.example", PASSWORD)
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_lock_out_in_one_organisation_does_not_lock_the_same_email_in_another(acme):
    from tests.support.tenancy import org_create

    other = org_create("umbrella", admin_email="admin@acme.example")
    _fail(acme, "admin@acme.example", 5)

    client, _ = _login(other, "admin@acme.example", PASSWORD)

    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_lock_out_from_one_address_does_not_lock_the_user_out_everywhere(acme):
    _fail(acme, "admin@acme.example", 5, ip="203.0.113.66")

    client, _ = _login(acme, "admin@acme.example", PASSWORD, ip="198.51.100.20")

    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_guessing_from_many_addresses_still_locks_the_email(acme, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_EMAIL = 6
    for n in range(6):
        _fail(acme, "admin@acme.example", 1, ip=f"203.0.113.{n}")

    client, _ = _login(acme, "admin@acme.example", PASSWORD, ip="198.51.100.20")

    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_out_ends_after_its_time(acme, settings):
    from datetime import timedelta

    from django.utils import timezone

    from apps.accounts.models import LoginThrottle

    _fail(acme, "admin@acme.example", 5)
    with schema_context(acme.schema):
        LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))

    client, _ = _login(acme, "admin@acme.example", PASSWORD)

    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_failures_for_another_email_do_not_lock_this_one(acme):
    _fail(acme, "someone-else@acme.example", 10)

    client, _ = _login(acme, "admin@acme.example", PASSWORD)

    assert "_auth_user_id" in client.session
