"""Host-header link poisoning: links we email (password reset, invitation, sign-up confirmation)
point at the configured address, whatever Host or X-Forwarded-Host a requester sends."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services

ROOT = Path(__file__).resolve().parents[2]
EVIL = "evil.example"
NO_BASE_URL = (
    "This broker cannot email links: it answers on any host name and has no base URL. "
    "The operator must set PACT_BROKER_BASE_URL."
)


def _links(messages) -> list[str]:
    return [link for message in messages for link in re.findall(r"https?://\S+", message.body)]


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


# --- SaaS: the routed organisation host is the only host a link can carry --------------------------


@pytest.mark.django_db
def test_saas_password_reset_requested_on_an_unknown_host_is_refused(acme, locmem_mail):
    response = Client(HTTP_HOST=EVIL).post("/password-reset", {"email": acme.admin.email})

    assert response.status_code == 400
    assert locmem_mail == []


@pytest.mark.django_db
def test_saas_password_reset_link_ignores_x_forwarded_host(acme, locmem_mail):
    response = Client(HTTP_HOST=acme.host, HTTP_X_FORWARDED_HOST=EVIL).post(
        "/password-reset", {"email": acme.admin.email}
    )

    assert response.status_code == 302 and response["Location"] == "/password-reset/sent"
    [link] = _links(locmem_mail)
    assert link.startswith(f"http://{acme.host}/password-reset/")
    assert EVIL not in locmem_mail[0].body


@pytest.mark.django_db
def test_saas_invitation_link_ignores_x_forwarded_host(acme, locmem_mail, django_capture_on_commit_callbacks):
    client = acme.client(HTTP_X_FORWARDED_HOST=EVIL)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/users/invite-user", {"email": "new@acme.example"}, content_type="application/json"
        )

    assert response.status_code == 201
    [link] = _links(locmem_mail)
    assert link.startswith(f"http://{acme.host}/invitations/")


@pytest.mark.django_db
def test_saas_invitation_from_the_ui_ignores_x_forwarded_host(acme, locmem_mail, django_capture_on_commit_callbacks):
    browser = Client(HTTP_HOST=acme.host, HTTP_X_FORWARDED_HOST=EVIL)
    with schema_context(acme.schema):
        browser.force_login(acme.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/organisation/users", {"email": "ui@acme.example", "name": "Ui"})

    assert response.status_code == 302
    [link] = _links(locmem_mail)
    assert link.startswith(f"http://{acme.host}/invitations/")


@pytest.mark.django_db
def test_saas_signup_on_an_unknown_host_is_refused(db, locmem_mail):
    response = Client(HTTP_HOST=EVIL).post("/signup", {"slug": "poisoned"})

    assert response.status_code == 400
    assert locmem_mail == []


@pytest.mark.django_db
def test_saas_signup_confirmation_link_is_the_new_organisations_host(
    db, locmem_mail, django_capture_on_commit_callbacks
):
    form = {
        "org_name": "Initrode",
        "slug": "initrode",
        "admin_name": "Bill",
        "email": "bill@initrode.example",
        "password": "tps-reports-cover-sheet",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_HOST=EVIL).post("/signup", form)

    assert response.status_code == 201
    [link] = _links(locmem_mail)
    assert link.startswith("http://initrode.localhost/confirm/")


# --- Self-hosted: PACT_BROKER_BASE_URL, or a host the operator listed -------------------------------


@pytest.fixture
def self_hosted(db, settings):
    settings.SINGLE_TENANT = True
    settings.PUBLIC_BASE_URL = None
    call_command("broker_setup", verbosity=0)
    with schema_context(settings.SINGLE_TENANT_SCHEMA):
        admin = services.user_create(
            email="root@broker.example",
            name="Root",
            password="correct-horse-battery",
            is_admin=True,
            email_confirmed=True,
        )
        _, token = services.token_create(user=admin, name="rw", read_only=False)
    return token


@pytest.mark.django_db
def test_self_hosted_reset_link_uses_the_base_url_whatever_the_host(self_hosted, settings, locmem_mail):
    settings.ALLOWED_HOSTS = ["*"]
    settings.PUBLIC_BASE_URL = "https://broker.example.com/"

    response = Client(HTTP_HOST=EVIL).post("/password-reset", {"email": "root@broker.example"})

    assert response.status_code == 302
    [link] = _links(locmem_mail)
    assert link.startswith("https://broker.example.com/password-reset/")
    assert EVIL not in locmem_mail[0].body


@pytest.mark.django_db
def test_self_hosted_on_any_host_without_a_base_url_refuses_to_email_a_reset_link(self_hosted, settings, locmem_mail):
    settings.ALLOWED_HOSTS = ["*"]

    response = Client(HTTP_HOST=EVIL).post("/password-reset", {"email": "root@broker.example"})

    assert response.status_code == 400
    assert NO_BASE_URL in response.content.decode()
    assert locmem_mail == []


@pytest.mark.django_db
def test_self_hosted_with_listed_hosts_refuses_an_unlisted_host(self_hosted, settings, locmem_mail):
    settings.ALLOWED_HOSTS = ["broker.internal"]

    refused = Client(HTTP_HOST=EVIL).post("/password-reset", {"email": "root@broker.example"})
    served = Client(HTTP_HOST="broker.internal").post("/password-reset", {"email": "root@broker.example"})

    assert refused.status_code == 400
    assert served.status_code == 302
    [link] = _links(locmem_mail)
    assert link.startswith("http://broker.internal/password-reset/")


@pytest.mark.django_db
def test_self_hosted_invitation_link_uses_the_base_url(
    self_hosted, settings, locmem_mail, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.PUBLIC_BASE_URL = "https://broker.example.com"
    client = Client(HTTP_HOST=EVIL, HTTP_AUTHORIZATION=f"Bearer {self_hosted}")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/users/invite-user", {"email": "new@broker.example"}, content_type="application/json"
        )

    assert response.status_code == 201
    [link] = _links(locmem_mail)
    assert link.startswith("https://broker.example.com/invitations/")


@pytest.mark.django_db
def test_self_hosted_on_any_host_without_a_base_url_refuses_to_invite(self_hosted, settings, locmem_mail):
    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_HOST=EVIL, HTTP_AUTHORIZATION=f"Bearer {self_hosted}")

    response = client.post("/admin/users/invite-user", {"email": "new@broker.example"}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"errors": {"base": [NO_BASE_URL]}}
    assert locmem_mail == []


# --- Self-hosted defaults: unknown hosts refused unless the operator opts in ------------------------


def _allowed_hosts(**env) -> list[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PACT_BROKER_BASE_URL", "ALLOWED_HOSTS", "PACT_BROKER_ALLOW_ANY_HOST")
    }
    environment.update(BROKER_SINGLE_TENANT="true", BROKER_DEVELOPMENT="true", **env)
    code = "import config.settings as s; print(','.join(s.ALLOWED_HOSTS))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return out.stdout.strip().split(",")


def test_self_hosted_answers_only_loopback_by_default():
    assert _allowed_hosts() == ["localhost", "127.0.0.1", "[::1]"]


def test_self_hosted_answers_the_base_url_host_and_listed_hosts():
    assert _allowed_hosts(PACT_BROKER_BASE_URL="https://pact.corp.example:8443/", ALLOWED_HOSTS="pact.internal") == [
        "pact.corp.example",
        "localhost",
        "127.0.0.1",
        "[::1]",
        "pact.internal",
    ]


def test_self_hosted_answers_any_host_only_when_the_operator_opts_in():
    assert _allowed_hosts(PACT_BROKER_ALLOW_ANY_HOST="true") == ["*"]
