"""Invitations: a signed, expiring, single-use link by email; the invitee sets a password."""

import pytest
from django.core import signing
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import User


def _invite(org, email="newbie@acme.example", **extra):
    client = Client(HTTP_HOST=org.host, HTTP_AUTHORIZATION=f"Bearer {org.token}")
    return client.post(
        "/admin/users/invite-user",
        {"email": email, "name": "New Bie", **extra},
        content_type="application/json",
    )


def _link_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.mark.django_db
def test_an_invitation_is_emailed_and_accepting_it_sets_a_password_and_signs_in(
    acme, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(acme)
    assert response.status_code == 201 and response.json()["invitationPending"] is True
    [link] = smtp_server.links()
    assert link.startswith(f"http://{acme.host}/invitations/")
    browser = Client(HTTP_HOST=acme.host)

    page = browser.get(_link_path(link))
    done = browser.post(
        _link_path(link),
        {"name": "Newbie", "password1": "a-long-fine-phrase", "password2": "a-long-fine-phrase"},
    )

    assert "newbie@acme.example" in page.content.decode()
    assert done.status_code == 302 and "_auth_user_id" in browser.session
    with schema_context(acme.schema):
        user = User.objects.get(email="newbie@acme.example")
        assert user.check_password("a-long-fine-phrase") and user.email_confirmed and not user.invitation_pending
        assert [role.key for role in user.roles.all()] == ["user"]
    again = Client(HTTP_HOST=acme.host).get(_link_path(link))
    assert again.status_code == 400 and "already been used" in again.content.decode()


@pytest.mark.django_db
def test_a_weak_password_is_refused_on_acceptance(acme):
    with schema_context(acme.schema):
        _, url = services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")

    response = Client(HTTP_HOST=acme.host).post(_link_path(url), {"password1": "12345678", "password2": "12345678"})

    assert response.status_code == 400
    assert "too short" in response.content.decode() or "too common" in response.content.decode()
    with schema_context(acme.schema):
        assert User.objects.get(email="newbie@acme.example").invitation_pending


@pytest.mark.django_db
def test_an_expired_invitation_is_refused(acme, settings):
    with schema_context(acme.schema):
        _, url = services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")
    settings.INVITATION_MAX_AGE = -1

    response = Client(HTTP_HOST=acme.host).get(_link_path(url))

    assert response.status_code == 400 and "expired" in response.content.decode()


@pytest.mark.django_db
def test_re_inviting_replaces_the_old_link(acme):
    with schema_context(acme.schema):
        _, first = services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")
        _, second = services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")

    assert Client(HTTP_HOST=acme.host).get(_link_path(first)).status_code == 400
    assert Client(HTTP_HOST=acme.host).get(_link_path(second)).status_code == 200


@pytest.mark.django_db
def test_an_invitation_link_only_works_in_its_own_organisation(acme, outsider):
    with schema_context(acme.schema):
        _, url = services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")

    response = Client(HTTP_HOST=outsider.host).get(_link_path(url))

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_tampered_link_is_refused(acme):
    with schema_context(acme.schema):
        _, url = services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")
    forged = signing.dumps({"s": acme.schema, "u": str(acme.admin.uuid), "k": "guess"}, salt="wrong-salt")

    assert Client(HTTP_HOST=acme.host).get(f"/invitations/{forged}").status_code == 400
    assert Client(HTTP_HOST=acme.host).get(_link_path(url) + "x").status_code == 400


@pytest.mark.django_db
def test_withdrawing_an_invitation_kills_the_link_and_frees_the_seat(acme):
    with schema_context(acme.schema):
        user, url = services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")
    admin = Client(HTTP_HOST=acme.host, HTTP_AUTHORIZATION=f"Bearer {acme.token}")

    assert [i["email"] for i in admin.get("/admin/invitations").json()["invitations"]] == ["newbie@acme.example"]
    assert admin.delete(f"/admin/invitations/{user.uuid}").status_code == 204
    assert Client(HTTP_HOST=acme.host).get(_link_path(url)).status_code == 400


@pytest.mark.django_db
def test_inviting_a_member_or_a_deactivated_user_says_what_to_do(acme):
    assert _invite(acme, email="admin@acme.example").json() == {
        "errors": {"email": ["admin@acme.example is already a member of this organisation."]}
    }
    with schema_context(acme.schema):
        gone = services.user_create(email="gone@acme.example", name="Gone", password=None)
        services.user_deactivate(actor=acme.admin, user=gone)

    assert "reactivate them instead" in _invite(acme, email="gone@acme.example").json()["errors"]["email"][0]


@pytest.mark.django_db
def test_an_invitee_cannot_sign_in_before_accepting(acme):
    with schema_context(acme.schema):
        services.user_invite(actor=acme.admin, email="newbie@acme.example", base_url="http://x/")
    browser = Client(HTTP_HOST=acme.host)

    browser.post("/login", {"username": "newbie@acme.example", "password": ""})

    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_inviting_from_the_users_page(acme, django_capture_on_commit_callbacks):
    from django.core import mail

    browser = Client(HTTP_HOST=acme.host)
    browser.post("/login", {"username": "admin@acme.example", "password": "correct-horse-battery"})

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/organisation/users", {"email": "page@acme.example", "name": "Page"})

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["page@acme.example"] and "/invitations/" in mail.outbox[-1].body
