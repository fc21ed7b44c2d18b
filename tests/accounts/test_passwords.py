"""Password change and reset, password rules, sessions ended on change, CSRF on every form."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tests.accounts.conftest import PASSWORD, member_create


def _signed_in(org, email, password=PASSWORD, **extra):
    client = Client(HTTP_HOST=org.host, **extra)
    client.post("/login", {"username": email, "password": password})
    assert "_auth_user_id" in client.session
    return client


@pytest.mark.django_db
def test_changing_the_password_ends_other_sessions_but_keeps_this_one(world):
    member_create(world.org, email="bob@acme.example")
    here = _signed_in(world.org, "bob@acme.example")
    elsewhere = _signed_in(world.org, "bob@acme.example")

    response = here.post(
        "/account/password",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-phrase",
            "new_password2": "a-brand-new-phrase",
        },
    )

    assert response.status_code == 302
    assert here.get("/account/tokens").status_code == 200
    assert elsewhere.get("/account/tokens").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "new, why",
    [("short", "too short"), ("password123", "too common"), ("38475629384756", "entirely numeric")],
)
def test_weak_passwords_are_refused(world, new, why):
    member_create(world.org, email="bob@acme.example")
    client = _signed_in(world.org, "bob@acme.example")

    response = client.post("/account/password", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})

    assert response.status_code == 400 and why in response.content.decode()


@pytest.mark.django_db
def test_the_current_password_is_required_to_change_it(world):
    member_create(world.org, email="bob@acme.example")
    client = _signed_in(world.org, "bob@acme.example")

    response = client.post(
        "/account/password",
        {
            "old_password": "guess",
            "new_password1": "a-brand-new-phrase",
            "new_password2": "a-brand-new-phrase",
        },
    )

    assert response.status_code == 400
    with schema_context(world.org.schema):
        assert User.objects.get(email="bob@acme.example").check_password(PASSWORD)


@pytest.mark.django_db
def test_password_reset_by_email_sets_a_new_password_and_ends_old_sessions(acme, smtp_server):
    old_session = _signed_in(acme, "admin@acme.example")
    browser = Client(HTTP_HOST=acme.host)

    assert browser.post("/password-reset", {"email": "admin@acme.example"}).status_code == 302
    [link] = smtp_server.links()
    assert link.startswith(f"http://{acme.host}/password-reset/")
    form = browser.get("/" + link.split("/", 3)[3], follow=True)
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-phrase", "new_password2": "a-brand-new-phrase"},
    )

    assert done.status_code == 302
    assert old_session.get("/account/tokens").status_code == 302
    _signed_in(acme, "admin@acme.example", password="a-brand-new-phrase")


@pytest.mark.django_db
def test_password_reset_says_the_same_for_unknown_emails_and_sends_nothing(acme, smtp_server):
    response = Client(HTTP_HOST=acme.host).post("/password-reset", {"email": "nobody@acme.example"})

    assert response.status_code == 302 and smtp_server.messages == []


@pytest.mark.django_db
def test_password_reset_link_from_one_organisation_is_useless_in_another(acme, outsider, smtp_server):
    Client(HTTP_HOST=acme.host).post("/password-reset", {"email": "admin@acme.example"})
    [link] = smtp_server.links()
    path = "/" + link.split("/", 3)[3]

    response = Client(HTTP_HOST=outsider.host).get(path, follow=True)

    assert "not valid any more" in response.content.decode()


FORMS = [
    ("/login", {"username": "admin@acme.example", "password": PASSWORD}, False),
    ("/password-reset", {"email": "admin@acme.example"}, False),
    ("/account/password", {"old_password": PASSWORD}, True),
    ("/account/tokens", {"action": "create", "name": "x"}, True),
    ("/organisation/users", {"email": "x@acme.example"}, True),
    ("/organisation/roles", {"name": "R"}, True),
    ("/organisation/teams", {"name": "T"}, True),
    ("/organisation/system-accounts", {"name": "S"}, True),
]


@pytest.mark.django_db
@pytest.mark.parametrize("path, data, signed_in", FORMS, ids=[f[0] for f in FORMS])
def test_every_form_needs_its_csrf_token(world, path, data, signed_in):
    client = Client(HTTP_HOST=world.org.host, enforce_csrf_checks=True)
    if signed_in:
        with schema_context(world.org.schema):
            client.force_login(world.org.admin)

    response = client.post(path, data)

    assert response.status_code == 403


@pytest.mark.django_db
def test_forms_with_their_csrf_token_go_through(world):
    client = Client(HTTP_HOST=world.org.host, enforce_csrf_checks=True)
    with schema_context(world.org.schema):
        client.force_login(world.org.admin)
    page = client.get("/organisation/teams").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post("/organisation/teams", {"name": "With token", "csrfmiddlewaretoken": token})

    assert response.status_code == 302


@pytest.mark.django_db
def test_session_authenticated_api_writes_need_csrf_too(world):
    client = Client(HTTP_HOST=world.org.host, enforce_csrf_checks=True)
    with schema_context(world.org.schema):
        client.force_login(world.org.admin)

    response = client.post("/admin/teams", {"name": "X"}, content_type="application/json")

    assert response.status_code == 403 and "CSRF" in response.json()["error"]
