"""Seat types as PactFlow's: Editor seats (bought) and Viewer seats (read-only roles, a number per
plan); someone whose only role is Organization Administrator takes no seat. Enforced at invitation
(API and UI) and when roles change; shown on the users and subscription pages."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import queries, services
from apps.accounts.models import User
from tests.accounts.conftest import member_create, plan_set
from tests.billing.conftest import browser_for

BASE = "http://acme.localhost/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_acme(acme):
    """acme on Team (10 Viewer seats) with both of its 2 Editor seats taken."""
    plan_set(acme, plan="team", seats=2)
    member_create(acme, email="second@acme.example")
    return acme


def _api(org) -> Client:
    return Client(HTTP_HOST=org.host, HTTP_AUTHORIZATION=f"Bearer {org.token}")


def test_a_viewer_invitation_takes_a_viewer_seat_and_the_viewer_role_when_editor_seats_are_full(full_acme, outsider):
    client = _api(full_acme)

    editor = client.post("/admin/users/invite-user", {"email": "e@acme.example"}, content_type="application/json")
    viewer = client.post(
        "/admin/users/invite-user", {"email": "v@acme.example", "seatType": "Viewer"}, content_type="application/json"
    )

    assert editor.status_code == 422 and "All 2 seats of your Team plan" in editor.json()["errors"]["email"][0]
    assert viewer.status_code == 201 and viewer.json()["seatType"] == "Viewer"
    assert [role["name"] for role in viewer.json()["_embedded"]["roles"]] == ["Viewer"]
    with schema_context(full_acme.schema):
        usage = queries.usage()
        assert (usage.seats_used, usage.viewer_seats_used, usage.viewer_seats) == (2, 1, 10)
    with schema_context(outsider.schema):
        assert queries.seats_used(User.SeatType.VIEWER) == 0


def test_viewer_seats_run_out_by_plan(acme):
    plan_set(acme, plan="developer", seats=2)  # the free plan has no Viewer seats

    response = _api(acme).post(
        "/admin/users/invite-users",
        {"users": [{"email": "v@acme.example", "seatType": "viewer"}]},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["errors"]["users[0].email"] == [
        "All 0 Viewer seats of your Developer plan are in use (0 active viewers, pending invitations included). "
        "Deactivate someone, give an Editor seat instead, or change plan."
    ]


def test_an_unknown_seat_type_is_refused(acme):
    response = _api(acme).post(
        "/admin/users/invite-user", {"email": "x@acme.example", "seatType": "Owner"}, content_type="application/json"
    )

    assert response.status_code == 422 and response.json()["errors"] == {
        "seatType": ["The seat type is Editor or Viewer."]
    }


def test_an_organization_administrator_takes_no_seat(full_acme):
    with schema_context(full_acme.schema):
        org_admin = services.builtin_role("organization_administrator")
        services.user_invite(actor=full_acme.admin, email="oa@acme.example", base_url=BASE, roles=[org_admin])

        assert queries.seats_used() == 2
        assert User.objects.get(email="oa@acme.example").is_active


def test_a_viewer_seat_holds_read_only_roles(acme):
    plan_set(acme, plan="team", seats=5)
    with schema_context(acme.schema):
        viewer, _ = services.user_invite(actor=acme.admin, email="v@acme.example", base_url=BASE, seat_type="viewer")

        with pytest.raises(services.IdentityError) as refused:
            services.user_roles_set(actor=acme.admin, user=viewer, roles=[services.builtin_role("user")])
        assert (
            refused.value.message
            == "User changes things and needs an Editor seat; a Viewer seat holds read-only roles."
        )

        services.user_roles_set(actor=acme.admin, user=viewer, roles=[services.builtin_role("read_only")])
        services.user_seat_type_set(
            actor=acme.admin, user=viewer, seat_type="editor", roles=[services.builtin_role("user")]
        )
        viewer.refresh_from_db()
        assert viewer.seat_type == "editor" and list(viewer.roles.values_list("key", flat=True)) == ["user"]


def test_the_invitation_form_offers_the_seat_type(full_acme):
    browser = Client(HTTP_HOST=full_acme.host)
    browser.post("/login", {"username": full_acme.admin.email, "password": "correct-horse-battery"})

    page = browser.get("/organisation/users").content.decode()
    sent = browser.post("/organisation/users", {"email": "v@acme.example", "name": "", "seat_type": "viewer"})

    assert 'name="seat_type"' in page and "Viewer seats: 0 of 10 in use." in page
    assert sent.status_code == 302
    with schema_context(full_acme.schema):
        assert User.objects.get(email="v@acme.example").seat_type == "viewer"


def test_the_subscription_page_shows_editor_and_viewer_seats(acme):
    plan_set(acme, plan="team", seats=5)
    with schema_context(acme.schema):
        services.user_invite(actor=acme.admin, email="v@acme.example", base_url=BASE, seat_type="viewer")

    page = browser_for(acme).get("/settings/subscription").content.decode()

    assert "<tr><td>Editor seats (active people who change things)</td><td>1</td><td>5</td></tr>" in page
    assert "<tr><td>Viewer seats (active people who only read)</td><td>1</td><td>10</td></tr>" in page
    assert "Organization Administrators (people whose only role it is) take no seat" in page


def test_an_organization_administrator_given_contract_data_starts_taking_a_seat(full_acme):
    with schema_context(full_acme.schema):
        org_admin = services.builtin_role("organization_administrator")
        person, _ = services.user_invite(
            actor=full_acme.admin, email="oa@acme.example", base_url=BASE, roles=[org_admin]
        )

        with pytest.raises(services.LimitReached) as refused:
            services.user_roles_set(
                actor=full_acme.admin, user=person, roles=[org_admin, services.builtin_role("user")]
            )

        assert refused.value.field == "roles" and "All 2 seats" in refused.value.message
        assert list(person.roles.values_list("key", flat=True)) == ["organization_administrator"]
