"""Fixtures for the UI's pages: acme with seeded contract data, and signed-in browsers of an
administrator, a viewer and a member of the outsider organisation."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services as account_services
from tests.support.ui_seed import ui_world_seed

PASSWORD = "correct-horse-battery"


def signed_in(org, user) -> Client:
    client = Client(HTTP_HOST=org.host, HTTP_ACCEPT="text/html")  # a browser: / and /dashboard serve API clients too
    with schema_context(org.schema):
        client.force_login(user)
    return client


def member(org, *, email: str, role: str):
    with schema_context(org.schema):
        return account_services.user_create(
            email=email,
            name=email.split("@")[0],
            password=PASSWORD,
            email_confirmed=True,
            roles=[account_services.builtin_role(role)],
        )


@pytest.fixture
def world(acme) -> dict:
    with schema_context(acme.schema):
        return ui_world_seed()


@pytest.fixture
def admin(acme) -> Client:
    return signed_in(acme, acme.admin)


@pytest.fixture
def viewer(acme) -> Client:
    return signed_in(acme, member(acme, email="viewer@acme.example", role="viewer"))


@pytest.fixture
def user_member(acme) -> Client:
    """A member with the built-in User role (publishes, manages webhooks; no secrets, no users)."""
    return signed_in(acme, member(acme, email="user@acme.example", role="user"))


@pytest.fixture
def outsider_admin(outsider) -> Client:
    return signed_in(outsider, outsider.admin)
