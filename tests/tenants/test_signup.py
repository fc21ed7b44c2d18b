import pytest
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import User
from tenants import services
from tenants.models import Domain, Tenant

FORM = {
    "org_name": "Initech",
    "slug": "initech",
    "admin_name": "Peter Gibbons",
    "email": "Peter@Initech.example",
    "password": "tps-reports-cover-sheet",
}


def post_signup(client, **changes):
    return client.post("/signup", {**FORM, **changes}, HTTP_HOST="localhost")


@pytest.mark.django_db
def test_signup_creates_organisation_schema_domain_and_unconfirmed_admin(client, smtp_server):
    response = post_signup(client)

    assert response.status_code == 201
    tenant = Tenant.objects.get(slug="initech")
    assert tenant.name == "Initech"
    assert schema_exists("initech")
    assert Domain.objects.get(tenant=tenant).domain == "initech.localhost"
    with schema_context("initech"):
        admin = User.objects.get()
        assert admin.email == "peter@initech.example"
        assert [role.key for role in admin.roles.all()] == ["administrator"]
        assert not admin.email_confirmed
        assert admin.check_password(FORM["password"])
    connection.set_schema_to_public()
    assert not User.objects.filter(email="peter@initech.example").exists()


@pytest.mark.django_db(transaction=True)
def test_signup_sends_a_confirmation_link_over_smtp_after_commit(client, smtp_server):
    try:
        post_signup(client)
        assert len(smtp_server.messages) == 1
        message = smtp_server.messages[0]
        assert message["To"] == "peter@initech.example"
        [link] = smtp_server.links()
        assert link.startswith("http://initech.localhost/confirm/")
    finally:
        Tenant.objects.filter(slug="initech").first().delete(force_drop=True)


@pytest.mark.parametrize(
    "slug, message",
    [
        ("ab", "3 to 40 characters"),
        ("a" * 41, "3 to 40 characters"),
        ("acme_corp", "lowercase letters"),
        ("acme.corp", "lowercase letters"),
        ("1acme", "start with a letter"),
        ("acme-", "must not end with a hyphen"),
        ("ac--me", "two hyphens"),
        ("www", "reserved"),
        ("api", "reserved"),
        ("admin", "reserved"),
        ("public", "reserved"),
        ("static", "reserved"),
        ("mail", "reserved"),
    ],
)
@pytest.mark.django_db
def test_signup_with_a_bad_slug_is_refused_with_a_message_and_creates_nothing(client, slug, message):
    before = set(Tenant.objects.values_list("slug", flat=True))

    response = post_signup(client, slug=slug)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert set(Tenant.objects.values_list("slug", flat=True)) == before


@pytest.mark.django_db
def test_signup_with_a_taken_slug_is_refused(client, acme):
    response = post_signup(client, slug="acme")

    assert response.status_code == 400
    assert "already taken" in response.content.decode()
    assert Tenant.objects.filter(slug="acme").count() == 1


@pytest.mark.django_db
def test_signup_with_a_weak_password_is_refused(client):
    response = post_signup(client, password="12345")

    assert response.status_code == 400
    assert "too short" in response.content.decode()
    assert not Tenant.objects.filter(slug="initech").exists()


@pytest.mark.django_db
def test_signup_with_missing_fields_is_refused(client):
    response = client.post("/signup", {"slug": "initech"}, HTTP_HOST="localhost")

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Tenant.objects.filter(slug="initech").exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_half_way_leaves_no_tenant_domain_or_schema(client, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.account_services, "user_create", explode)

    with pytest.raises(RuntimeError):
        post_signup(client)

    assert not Tenant.objects.filter(slug="initech").exists()
    assert not Domain.objects.filter(domain="initech.localhost").exists()
    assert not schema_exists("initech")


@pytest.mark.django_db
def test_signup_page_is_not_served_on_a_tenant_host(client, acme):
    response = client.get("/signup", HTTP_HOST=acme.host)

    assert response.status_code == 404
