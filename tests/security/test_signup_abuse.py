"""Abuse of the public sign-up: rate limits per address and per email, removal of organisations
whose sign-up was never confirmed. Every refusal is a 429 with the form and a message, and writes
nothing; the site keeps answering everyone else."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_exists

from config.celery import app
from tenants.models import Domain, Tenant
from tenants.services import tenant_provision
from tenants.tasks import unconfirmed_remove

pytestmark = pytest.mark.django_db

IP_LIMITED = "Too many sign-up attempts from your network. Please try again later."
EMAIL_LIMITED = "Too many sign-up attempts for this email address. Please try again later."
FORM = {
    "org_name": "Initech",
    "slug": "initech",
    "admin_name": "Peter Gibbons",
    "email": "peter@initech.example",
    "password": "tps-reports-cover-sheet",
}


def post_signup(ip: str = "203.0.113.7", forwarded_for: str | None = None, **changes):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return Client().post("/signup", {**FORM, **changes}, HTTP_HOST="localhost", REMOTE_ADDR=ip, **headers)


def assert_refused(response, message: str):
    assert response.status_code == 429
    assert message in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600


def test_too_many_signups_from_one_address_are_refused_and_write_nothing(settings):
    settings.SIGNUP_RATE_LIMIT_PER_IP = "2/h"
    settings.SIGNUP_RATE_LIMIT_PER_EMAIL = ""

    first = post_signup(slug="initech", email="peter@initech.example")
    second = post_signup(slug="initrode", email="bill@initrode.example")
    third = post_signup(slug="hooli", email="gavin@hooli.example")

    assert (first.status_code, second.status_code) == (201, 201)
    assert_refused(third, IP_LIMITED)
    assert not Tenant.objects.filter(slug="hooli").exists() and not schema_exists("hooli")
    # Still serving: the form from the same address, and sign-ups from elsewhere.
    assert Client().get("/signup", HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.7").status_code == 200
    assert post_signup(ip="198.51.100.2", slug="hooli", email="gavin@hooli.example").status_code == 201


def test_refused_attempts_count_too(settings):
    settings.SIGNUP_RATE_LIMIT_PER_IP = "2/h"

    probes = [post_signup(slug=slug, password="12345").status_code for slug in ("initech", "initrode")]
    response = post_signup()

    assert probes == [400, 400]
    assert_refused(response, IP_LIMITED)
    assert not Tenant.objects.filter(slug="initech").exists()


def test_a_forged_forwarded_for_header_does_not_reset_the_address_counter(settings):
    settings.SIGNUP_RATE_LIMIT_PER_IP = "1/h"  # TRUST_PROXY is off: X-Forwarded-For is the client's word

    post_signup(password="12345", forwarded_for="192.0.2.1")
    response = post_signup(forwarded_for="192.0.2.2")

    assert_refused(response, IP_LIMITED)
    assert not Tenant.objects.filter(slug="initech").exists()


def test_behind_a_trusted_proxy_each_client_address_is_counted_on_its_own(settings):
    settings.TRUST_PROXY = True
    settings.SIGNUP_RATE_LIMIT_PER_IP = "1/h"

    post_signup(ip="10.0.0.1", password="12345", forwarded_for="192.0.2.1")
    other_client = post_signup(ip="10.0.0.1", password="12345", forwarded_for="192.0.2.2")
    same_client = post_signup(ip="10.0.0.1", forwarded_for="6.6.6.6, 192.0.2.1")

    assert other_client.status_code == 400
    assert_refused(same_client, IP_LIMITED)


def test_too_many_signups_for_one_email_are_refused_from_any_address(settings):
    settings.SIGNUP_RATE_LIMIT_PER_EMAIL = "1/h"

    first = post_signup(ip="203.0.113.7", slug="initech", email="peter@initech.example")
    second = post_signup(ip="198.51.100.2", slug="initrode", email="  Peter@INITECH.example ")

    assert first.status_code == 201
    assert_refused(second, EMAIL_LIMITED)
    assert not Tenant.objects.filter(slug="initrode").exists()


def test_an_empty_setting_turns_a_limit_off(settings):
    settings.SIGNUP_RATE_LIMIT_PER_IP = ""
    settings.SIGNUP_RATE_LIMIT_PER_EMAIL = ""

    statuses = [post_signup(password="12345").status_code for _ in range(12)]

    assert statuses == [400] * 12


def test_organisations_never_confirmed_are_removed_by_the_beat_task(settings, django_capture_on_commit_callbacks):
    settings.SIGNUP_UNCONFIRMED_REMOVE_AFTER = 7 * 24 * 3600
    with django_capture_on_commit_callbacks(execute=True):
        assert post_signup(slug="initech", email="peter@initech.example").status_code == 201
        assert post_signup(slug="initrode", email="bill@initrode.example").status_code == 201
        assert post_signup(slug="hooli", email="gavin@hooli.example").status_code == 201
    [link] = [
        m.body.split("http://initrode.localhost", 1)[1].split()[0]
        for m in mail.outbox
        if m.to == ["bill@initrode.example"]
    ]
    assert Client().get(link, HTTP_HOST="initrode.localhost").status_code == 302  # initrode confirms
    tenant_provision(name="Provisioned", slug="provisioned")  # made by an operator, not a sign-up
    eight_days_ago = timezone.now() - timedelta(days=8)
    Tenant.objects.exclude(slug="hooli").update(created_at=eight_days_ago)  # hooli signed up just now

    removed = unconfirmed_remove.apply().get()

    assert removed == ["initech"]
    assert not Tenant.objects.filter(slug="initech").exists() and not schema_exists("initech")
    assert not Domain.objects.filter(domain="initech.localhost").exists()
    assert Client().get("/login", HTTP_HOST="initech.localhost").status_code == 404
    assert sorted(Tenant.objects.values_list("slug", flat=True)) == ["hooli", "initrode", "provisioned"]
    assert Client().get("/login", HTTP_HOST="initrode.localhost").status_code == 200
    # The subdomain is free again.
    assert post_signup(ip="198.51.100.9", slug="initech", email="peter@initech.example").status_code == 201


def test_the_removal_runs_on_celery_beat():
    entry = app.conf.beat_schedule["tenants-unconfirmed-remove"]

    assert entry["task"] == "tenants.unconfirmed_remove" and entry["schedule"] == 3600.0
