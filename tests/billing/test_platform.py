"""The platform admin: public-schema staff only, on the public site."""

import pytest
from django.db import connection

from apps.accounts.models import User
from billing.models import BillingAccount
from tenants.models import Tenant
from tests.billing.conftest import people_add


@pytest.fixture
def staff(db):
    connection.set_schema_to_public()
    return User.objects.create_user(
        "ops@platform.example", "correct-horse-battery", name="Ops", is_staff=True, email_confirmed=True
    )


@pytest.fixture
def staff_browser(public, staff):
    response = public.post("/platform/login", {"username": staff.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    return public


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_platform_sign_in(public):
    response = public.get("/platform/")

    assert response.status_code == 302 and response["Location"].startswith("/platform/login")


@pytest.mark.django_db
def test_an_organisation_admin_cannot_sign_in_to_the_platform(public, acme):
    response = public.post("/platform/login", {"username": acme.admin.email, "password": "correct-horse-battery"})

    assert response.status_code == 200
    assert "_auth_user_id" not in public.session


@pytest.mark.django_db
def test_a_public_user_who_is_not_staff_cannot_sign_in(public):
    User.objects.create_user("someone@platform.example", "correct-horse-battery", email_confirmed=True)

    response = public.post(
        "/platform/login", {"username": "someone@platform.example", "password": "correct-horse-battery"}
    )

    assert response.status_code == 200 and "platform staff only" in response.content.decode()


@pytest.mark.django_db
def test_staff_see_every_organisation_with_plan_seats_and_status(staff_browser, acme, outsider):
    people_add(acme, 2)
    Tenant.objects.filter(pk=outsider.tenant.pk).update(plan="team", seats=5)

    page = staff_browser.get("/platform/").content.decode()

    assert "Acme Corp" in page and "Globex" in page
    assert "3 / 2" in page  # acme: 3 people on 2 seats
    assert "1 / 5" in page


@pytest.mark.django_db
def test_the_platform_is_not_served_on_an_organisation_host(acme):
    assert acme.browser().get("/platform/").status_code == 404


@pytest.mark.django_db
def test_staff_set_a_plan_by_hand_and_nothing_is_deleted(staff_browser, acme):
    from tests.billing.conftest import integrations, publish

    for index in range(3):
        publish(acme, f"c{index}", "p")

    response = staff_browser.post(
        f"/platform/organisations/{acme.tenant.slug}/plan", {"plan": "enterprise", "seats": 50}
    )

    assert response.status_code == 302
    tenant = Tenant.objects.get(pk=acme.tenant.pk)
    assert (tenant.plan, tenant.seats) == ("enterprise", 50)
    assert BillingAccount.objects.get(tenant=tenant).manual_plan

    staff_browser.post(f"/platform/organisations/{acme.tenant.slug}/plan", {"plan": "developer", "seats": 2})
    assert Tenant.objects.get(pk=acme.tenant.pk).plan == "developer"
    assert integrations(acme) == 3


@pytest.mark.django_db
def test_staff_start_an_annual_invoiced_enterprise_subscription(staff_browser, acme, stripe_server):
    response = staff_browser.post(
        f"/platform/organisations/{acme.tenant.slug}/invoiced",
        {"plan": "enterprise", "seats": 25, "billing_email": "ap@acme.example"},
    )

    assert response.status_code == 302
    tenant = Tenant.objects.get(pk=acme.tenant.pk)
    account = BillingAccount.objects.get(tenant=tenant)
    assert (tenant.plan, tenant.seats, account.status) == ("enterprise", 25, "active")
    assert account.collection_method == "send_invoice"
    sub = stripe_server.subscription(account.stripe_subscription_id)
    assert sub["collection_method"] == "send_invoice" and sub["days_until_due"] == 30
    assert sub["items"]["data"][0]["price"]["id"] == "price_enterprise_annual"


@pytest.mark.django_db
def test_invoiced_billing_is_refused_for_the_team_plan(staff_browser, acme):
    response = staff_browser.post(
        f"/platform/organisations/{acme.tenant.slug}/invoiced",
        {"plan": "team", "seats": 5, "billing_email": "ap@acme.example"},
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_an_unknown_organisation_is_a_404(staff_browser):
    assert staff_browser.get("/platform/organisations/nobody").status_code == 404


@pytest.mark.django_db
def test_staff_can_sign_out(staff_browser):
    assert staff_browser.post("/platform/logout").status_code == 302
    assert staff_browser.get("/platform/").status_code == 302
