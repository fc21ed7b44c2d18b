import pytest
from django.core import signing
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tenants import services

PASSWORD = "tps-reports-cover-sheet"


@pytest.fixture
def signup(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return services.organisation_signup(
        org_name="Initech",
        slug="initech",
        admin_name="Peter",
        email="peter@initech.example",
        password=PASSWORD,
        scheme="http",
    )


def login(client, host):
    return client.post("/login", {"username": "peter@initech.example", "password": PASSWORD}, HTTP_HOST=host)


def confirm_path(url: str) -> str:
    return url.split("localhost", 1)[1]


def test_admin_cannot_log_in_before_confirming(client, signup):
    response = login(client, "initech.localhost")

    assert response.status_code == 200
    assert "confirm your email address first" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_valid_link_confirms_and_then_login_works(client, signup):
    response = client.get(confirm_path(signup.confirmation_url), HTTP_HOST="initech.localhost")

    assert response.status_code == 302
    assert response["Location"] == "/login"
    with schema_context("initech"):
        assert User.objects.get().email_confirmed
    response = login(client, "initech.localhost")
    assert response.status_code == 302
    assert client.get("/", HTTP_HOST="initech.localhost").status_code == 200


def test_an_expired_link_is_refused(client, signup, settings):
    settings.SIGNUP_CONFIRMATION_MAX_AGE = -1

    response = client.get(confirm_path(signup.confirmation_url), HTTP_HOST="initech.localhost")

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    with schema_context("initech"):
        assert not User.objects.get().email_confirmed


def test_a_tampered_link_is_refused(client, signup):
    path = confirm_path(signup.confirmation_url)
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")

    response = client.get(tampered, HTTP_HOST="initech.localhost")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_a_link_signed_for_another_user_id_is_refused(client, signup):
    forged = signing.dumps({"t": "initech", "u": signup.admin.pk + 1, "e": "x@y.z"}, salt="wrong-salt")

    response = client.get(f"/confirm/{forged}", HTTP_HOST="initech.localhost")

    assert response.status_code == 400


def test_a_link_for_one_organisation_does_not_work_on_another(client, signup, outsider):
    response = client.get(confirm_path(signup.confirmation_url), HTTP_HOST=outsider.host)

    assert response.status_code == 400
    with schema_context("initech"):
        assert not User.objects.get().email_confirmed
