"""The one UI permission gate (apps.accounts.permissions.require_permission) on every kind of page
(contracts UI, organisation settings, SSO settings, subscription): sign-in first, then the method,
then the permission, with one 403 page that names the permission."""

import pytest
from django.test import Client

from apps.accounts.permissions import Perm, permission_label
from tests.accounts.conftest import member_create
from tests.ui.conftest import signed_in

pytestmark = pytest.mark.django_db

PAGES = [
    ("/dashboard", Perm.CONTRACT_DATA_READ),
    ("/ui/webhooks/new", Perm.WEBHOOK_MANAGE),
    ("/account/tokens", Perm.TOKEN_MANAGE),
    ("/settings/secrets", Perm.SECRET_READ),
    ("/organisation/users", Perm.USER_READ),
    ("/settings/sso", Perm.AUTHENTICATION_SETTINGS_MANAGE),
    ("/settings/import", Perm.SYSTEM_PREFERENCE_MANAGE),
    ("/settings/subscription", Perm.BILLING_MANAGE),
]


@pytest.fixture
def nobody(acme):
    return signed_in(acme, member_create(acme, email="nobody@acme.example", permissions=set()).user)


@pytest.mark.parametrize(("path", "permission"), PAGES)
def test_a_page_without_its_permission_is_the_one_403_page_naming_it(nobody, path, permission):
    response = nobody.get(path)

    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "accounts/forbidden.html"
    label = permission_label(permission)
    assert f"This needs the “{label}” permission, which none of your roles grants." in response.content.decode()


@pytest.mark.parametrize(("path", "permission"), PAGES)
def test_a_page_asks_an_anonymous_visitor_to_sign_in_first(acme, path, permission):
    response = Client(HTTP_HOST=acme.host, HTTP_ACCEPT="text/html").get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/login?next={path}"


def test_a_page_takes_get_and_post_only(acme):
    admin = signed_in(acme, acme.admin)

    response = admin.put("/organisation/users")

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"


def test_a_submission_needs_the_permission_to_submit(acme):
    reader = signed_in(acme, member_create(acme, email="reader@acme.example", permissions={Perm.USER_READ}).user)

    assert reader.get("/organisation/users").status_code == 200
    refused = reader.post("/organisation/users", {"email": "new@acme.example"})
    assert refused.status_code == 403
    assert permission_label(Perm.USER_INVITE) in refused.content.decode()
