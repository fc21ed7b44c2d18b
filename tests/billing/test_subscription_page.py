"""Settings > Subscription: admins (BILLING_MANAGE) only, CSRF on every form, Checkout and the
Billing portal at the local Stripe, seat reductions below the people in use refused."""

import pytest
from django_tenants.utils import schema_context

from billing.models import BillingAccount
from tenants.models import Tenant
from tests.billing.conftest import browser_for, people_add
from tests.billing.test_webhooks import subscribed


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(acme):
    response = acme.browser().get("/settings/subscription")

    assert response.status_code == 302 and response["Location"].startswith("/login")


@pytest.mark.django_db
def test_a_member_without_billing_rights_is_refused(acme):
    people_add(acme, 1)

    response = browser_for(acme, "person0@acme.example").get("/settings/subscription")

    assert response.status_code == 403


@pytest.mark.django_db
def test_the_page_shows_the_plan_its_limits_and_usage(acme):
    response = browser_for(acme).get("/settings/subscription")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Developer plan" in page and "Integrations" in page and "Continue to payment" in page


@pytest.mark.django_db
def test_choosing_team_with_five_seats_redirects_to_stripe_checkout(acme, stripe_server):
    response = browser_for(acme).post("/settings/subscription/checkout", {"plan": "team", "seats": 5})

    assert response.status_code == 302
    assert response["Location"].startswith(f"{stripe_server.url}/pay/cs_test_")
    session = stripe_server.checkout_sessions[response["Location"].rsplit("/", 1)[1]]
    assert session["_line"] == {"price": "price_team", "quantity": 5}
    assert session["client_reference_id"] == str(acme.tenant.pk)
    assert BillingAccount.objects.get(tenant=acme.tenant).stripe_customer_id.startswith("cus_")
    assert Tenant.objects.get(pk=acme.tenant.pk).plan == "developer"  # only Stripe's event upgrades


@pytest.mark.django_db
def test_checkout_with_fewer_seats_than_active_people_is_refused(acme):
    people_add(acme, 3)

    response = browser_for(acme).post("/settings/subscription/checkout", {"plan": "team", "seats": 2})

    assert response.status_code == 400
    assert "4 people are active" in response.content.decode()


@pytest.mark.django_db
def test_enterprise_cannot_be_bought_by_card(acme):
    response = browser_for(acme).post("/settings/subscription/checkout", {"plan": "enterprise", "seats": 20})

    assert response.status_code == 400


@pytest.mark.django_db
def test_forms_need_a_csrf_token(acme):
    browser = acme.browser()
    browser.post("/login", {"username": acme.admin.email, "password": "correct-horse-battery"})
    browser.handler.enforce_csrf_checks = True

    response = browser.post("/settings/subscription/checkout", {"plan": "team", "seats": 5})

    assert response.status_code == 403


@pytest.mark.django_db
def test_reducing_seats_below_the_people_in_use_is_refused_with_a_message(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver, seats=5)
    people_add(acme, 3)  # 4 active people

    response = browser_for(acme).post("/settings/subscription/seats", {"seats": 3})

    assert response.status_code == 400
    assert "Deactivate 1 of them" in response.content.decode()
    assert stripe_server.subscription(sub["id"])["quantity"] == 5


@pytest.mark.django_db
def test_adding_seats_changes_the_stripe_subscription_and_waits_for_its_event(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver, seats=5)

    response = browser_for(acme).post("/settings/subscription/seats", {"seats": 7})

    assert response.status_code == 302
    assert stripe_server.subscription(sub["id"])["items"]["data"][0]["quantity"] == 7
    assert Tenant.objects.get(pk=acme.tenant.pk).seats == 5


@pytest.mark.django_db
def test_a_seat_reduction_made_in_the_portal_below_usage_is_kept_and_shown(acme, stripe_server, deliver):
    from tests.support.stripe_server import stripe_event

    sub = subscribed(acme, stripe_server, deliver, seats=5)
    people_add(acme, 4)  # 5 active people
    item = sub["items"]["data"][0]
    deliver(
        stripe_event(
            "customer.subscription.updated", {**sub, "items": {**sub["items"], "data": [{**item, "quantity": 3}]}}
        )
    )

    page = browser_for(acme).get("/settings/subscription").content.decode()

    assert Tenant.objects.get(pk=acme.tenant.pk).seats == 3
    assert "nobody loses access" in page
    with schema_context(acme.schema):
        from apps.accounts.models import User

        assert User.objects.filter(is_active=True).count() == 5


@pytest.mark.django_db
def test_the_billing_portal_opens_for_a_customer(acme, stripe_server, deliver):
    subscribed(acme, stripe_server, deliver)

    response = browser_for(acme).post("/settings/subscription/portal")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{stripe_server.url}/portal/bps_")


@pytest.mark.django_db
def test_the_billing_portal_needs_a_customer_first(acme):
    response = browser_for(acme).post("/settings/subscription/portal")

    assert response.status_code == 400


@pytest.mark.django_db
def test_billing_switched_off_says_so(acme, settings):
    settings.STRIPE_SECRET_KEY = None

    browser = browser_for(acme)
    assert "Billing is not configured" in browser.get("/settings/subscription").content.decode()
    assert browser.post("/settings/subscription/checkout", {"plan": "team", "seats": 5}).status_code == 503


@pytest.mark.django_db
def test_an_outsider_admin_cannot_reach_acmes_billing(acme, outsider):
    browser = browser_for(outsider)

    response = browser.get("/settings/subscription", HTTP_HOST=acme.host)

    assert response.status_code == 302  # not signed in on acme's host


@pytest.mark.django_db
def test_an_invoiced_enterprise_plan_is_shown_as_such_and_offers_no_checkout(acme):
    from types import SimpleNamespace

    from billing.services.subscriptions import plan_set_by_hand

    staff = SimpleNamespace(email="ops@platform.example")
    plan_set_by_hand(tenant=Tenant.objects.get(pk=acme.tenant.pk), staff=staff, plan_slug="enterprise", seats=40)
    BillingAccount.objects.filter(tenant=acme.tenant).update(collection_method="send_invoice")

    page = browser_for(acme).get("/settings/subscription").content.decode()

    assert '<h2 id="current">Enterprise plan</h2>' in page
    assert "Status: <strong>Active, billed by invoice</strong></p>" in page
    assert "No subscription" not in page and "Upgrade" not in page and "Continue to payment" not in page
    assert (
        "The Enterprise plan is arranged with us and billed by invoice: to change the plan or the number of seats "
        "(40 now), contact us." in page
    )
    refused = browser_for(acme).post("/settings/subscription/checkout", {"plan": "team", "seats": 5})
    assert refused.status_code == 400
    assert (
        "The Enterprise plan is arranged with us: contact us to change the plan or seats." in refused.content.decode()
    )
    assert Tenant.objects.get(pk=acme.tenant.pk).plan == "enterprise"


@pytest.mark.django_db
def test_upgrade_offers_only_larger_plans(acme):
    page = browser_for(acme).get("/settings/subscription").content.decode()

    assert "Status: <strong>Free plan</strong>" in page
    upgrade = page.split('<h2 id="upgrade">Upgrade</h2>')[1]
    assert "<strong>Developer</strong>" not in upgrade
    assert "<strong>Team</strong>" in upgrade and "<strong>Business</strong>" in upgrade
    assert "<strong>Enterprise</strong>" in upgrade and "(contact us)" in upgrade
    assert '<option value="team" selected>Team</option>' in upgrade
    assert '<option value="business">Business</option>' in upgrade
    assert 'value="enterprise"' not in upgrade and 'value="developer"' not in upgrade
