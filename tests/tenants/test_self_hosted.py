"""Self-hosted mode: one organisation on any host name, no sign-up."""

import pytest
from django.core.management import call_command
from django.test import Client

from tenants.models import Tenant


@pytest.fixture
def self_hosted(db, settings):
    settings.SINGLE_TENANT = True
    settings.ALLOWED_HOSTS = ["*"]
    call_command("broker_setup", verbosity=0)
    return Tenant.objects.get(schema_name=settings.SINGLE_TENANT_SCHEMA)


def test_broker_setup_creates_the_single_organisation_once(self_hosted, settings):
    call_command("broker_setup", verbosity=0)

    assert Tenant.objects.filter(schema_name=settings.SINGLE_TENANT_SCHEMA).count() == 1


@pytest.mark.parametrize("host", ["pact-broker.internal", "10.0.0.7:9292", "localhost"])
def test_every_host_serves_the_single_organisation(self_hosted, host):
    response = Client().get("/login", HTTP_HOST=host)

    assert response.status_code == 200
    assert "Sign in to Pact Broker" in response.content.decode()


def test_there_is_no_signup_page(self_hosted):
    response = Client().get("/signup", HTTP_HOST="localhost")

    assert response.status_code == 404


def test_without_setup_the_server_says_what_to_do(db, settings):
    settings.SINGLE_TENANT = True
    settings.ALLOWED_HOSTS = ["*"]

    response = Client().get("/", HTTP_HOST="broker.example", HTTP_ACCEPT="application/json")

    assert response.status_code == 404
    assert "broker_setup" in response.json()["error"]["message"]
