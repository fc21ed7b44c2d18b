"""Seats: active people (pending invitations included) never exceed what the organisation bought."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import queries, services
from apps.accounts.models import User
from tests.accounts.conftest import PASSWORD, member_create, plan_set

BASE = "http://acme.localhost/"


@pytest.fixture
def full_acme(acme):
    """acme with 3 seats: the admin and one more person take 2, one is free."""
    plan_set(acme, plan="team", seats=3)
    member_create(acme, email="second@acme.example")
    return acme


@pytest.mark.django_db
def test_an_invitation_takes_the_last_free_seat_and_the_next_is_refused_naming_the_limit(full_acme):
    with schema_context(full_acme.schema):
        services.user_invite(actor=full_acme.admin, email="third@acme.example", base_url=BASE)

        with pytest.raises(services.LimitReached) as refused:
            services.user_invite(actor=full_acme.admin, email="fourth@acme.example", base_url=BASE)

        assert "All 3 seats of your Team plan are in use" in refused.value.message
        assert not User.objects.filter(email="fourth@acme.example").exists()
        assert queries.seats_used() == 3


@pytest.mark.django_db
def test_the_api_answers_422_with_the_seat_message(full_acme):
    client = Client(HTTP_HOST=full_acme.host, HTTP_AUTHORIZATION=f"Bearer {full_acme.token}")
    client.post("/admin/users/invite-user", {"email": "third@acme.example"}, content_type="application/json")

    response = client.post(
        "/admin/users/invite-user", {"email": "fourth@acme.example"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert "All 3 seats" in response.json()["errors"]["email"][0]


@pytest.mark.django_db
def test_bulk_invitation_over_the_limit_invites_nobody(full_acme):
    client = Client(HTTP_HOST=full_acme.host, HTTP_AUTHORIZATION=f"Bearer {full_acme.token}")

    response = client.post(
        "/admin/users/invite-users",
        {"users": [{"email": "a@acme.example"}, {"email": "b@acme.example"}]},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "users[1].email" in response.json()["errors"]
    with schema_context(full_acme.schema):
        assert not User.objects.filter(email="a@acme.example").exists()


@pytest.mark.django_db
def test_pre_creating_a_user_is_seat_checked_too(full_acme):
    with schema_context(full_acme.schema):
        services.user_add(actor=full_acme.admin, email="third@acme.example", name="Third")
        with pytest.raises(services.LimitReached):
            services.user_add(actor=full_acme.admin, email="fourth@acme.example", name="Fourth")


@pytest.mark.django_db
def test_deactivating_frees_a_seat_and_reactivating_over_the_limit_is_refused(full_acme):
    with schema_context(full_acme.schema):
        second = User.objects.get(email="second@acme.example")
        services.user_invite(actor=full_acme.admin, email="third@acme.example", base_url=BASE)
        services.user_deactivate(actor=full_acme.admin, user=second)
        assert queries.seats_used() == 2

        services.user_invite(actor=full_acme.admin, email="fourth@acme.example", base_url=BASE)
        with pytest.raises(services.LimitReached) as refused:
            services.user_reactivate(actor=full_acme.admin, user=second)

        assert refused.value.field == "active"
        second.refresh_from_db()
        assert not second.is_active


@pytest.mark.django_db
def test_system_accounts_do_not_take_seats(full_acme):
    with schema_context(full_acme.schema):
        services.system_account_create(actor=full_acme.admin, name="ci")
        services.user_invite(actor=full_acme.admin, email="third@acme.example", base_url=BASE)

        assert queries.seats_used() == 3


@pytest.mark.django_db
def test_removing_a_user_frees_the_seat(full_acme):
    with schema_context(full_acme.schema):
        services.user_remove(actor=full_acme.admin, user=User.objects.get(email="second@acme.example"))
        services.user_invite(actor=full_acme.admin, email="third@acme.example", base_url=BASE)
        services.user_invite(actor=full_acme.admin, email="fourth@acme.example", base_url=BASE)

        assert queries.seats_used() == 3


@pytest.mark.django_db
def test_seats_are_counted_per_organisation(full_acme, outsider):
    plan_set(outsider, plan="team", seats=2)
    with schema_context(outsider.schema):
        services.user_invite(actor=outsider.admin, email="one@globex.example", base_url=BASE)
        assert queries.seats_used() == 2
    with schema_context(full_acme.schema):
        assert queries.seats_used() == 2


@pytest.mark.django_db
def test_the_users_page_shows_seats_in_use(full_acme):
    client = Client(HTTP_HOST=full_acme.host)
    client.post("/login", {"username": full_acme.admin.email, "password": PASSWORD})

    response = client.get("/organisation/users")

    assert "2 of 3 seats of the Team plan in use" in response.content.decode()
