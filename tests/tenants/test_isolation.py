"""Tenant A's data is invisible from tenant B's host, by every route we have."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User


@pytest.mark.django_db
def test_users_live_in_their_own_schema(acme, outsider):
    with schema_context(acme.schema):
        assert list(User.objects.values_list("email", flat=True)) == ["admin@acme.example"]
    with schema_context(outsider.schema):
        assert list(User.objects.values_list("email", flat=True)) == ["admin@globex.example"]


@pytest.mark.django_db
def test_acme_credentials_do_not_log_in_on_globex(acme, outsider):
    client = outsider.browser()

    response = client.post("/login", {"username": "admin@acme.example", "password": "correct-horse-battery"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_acme_session_cookie_is_not_valid_on_globex(acme, outsider):
    client = acme.browser()
    client.post("/login", {"username": "admin@acme.example", "password": "correct-horse-battery"})
    # A browser (Accept: text/html) gets the home page at "/"; API clients get the HAL index.
    assert client.get("/", HTTP_ACCEPT="text/html").status_code == 200

    response = client.get("/", HTTP_HOST=outsider.host, HTTP_ACCEPT="text/html")

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


@pytest.mark.django_db
def test_the_same_email_in_two_organisations_is_two_users(acme, outsider):
    from tests.support.tenancy import org_create

    other = org_create("umbrella", admin_email="admin@acme.example")
    with schema_context(other.schema):
        umbrella_user = User.objects.get(email="admin@acme.example")
    with schema_context(acme.schema):
        acme_user = User.objects.get(email="admin@acme.example")
    assert umbrella_user.password != acme_user.password or umbrella_user.pk == acme_user.pk
    with schema_context(other.schema):
        User.objects.filter(email="admin@acme.example").delete()
    with schema_context(acme.schema):
        assert User.objects.filter(email="admin@acme.example").exists()


@pytest.mark.django_db
def test_a_worker_task_runs_in_the_tenant_it_is_given(acme, outsider):
    from tenants.tasks import tenant_ping

    assert tenant_ping.run(acme.schema) == {"schema": "acme", "users": ["admin@acme.example"]}
    assert tenant_ping.run(outsider.schema) == {"schema": "globex", "users": ["admin@globex.example"]}
