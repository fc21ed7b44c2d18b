"""The issue's acceptance path, through the HTTP endpoints and signed Stripe events:
free -> Team (5 seats) -> Business -> past due -> read-only -> paid again, limits enforced
along the way, nothing deleted."""

import itertools
import time
from datetime import timedelta

import pytest

from billing.limits import IntegrationLimitExceeded
from billing.models import BillingAccount
from tenants.models import Tenant
from tests.billing.conftest import browser_for, integrations, people_add, publish
from tests.support.stripe_server import stripe_event


@pytest.mark.django_db
def test_free_to_team_to_business_to_past_due_to_read_only_and_paid_again(acme, outsider, stripe_server, deliver):
    clock = itertools.count(int(time.time()))
    admin = browser_for(acme)
    api = acme.client()

    def tenant():
        return Tenant.objects.get(pk=acme.tenant.pk)

    def send(event_type, obj):
        response = deliver(stripe_event(event_type, obj, created=next(clock)))
        assert response.status_code == 200, response.content
        return response.json()["outcome"]

    # Free: five integrations, the sixth refused with a clear message and nothing written.
    for index in range(5):
        publish(acme, f"consumer-{index}", "provider")
    with pytest.raises(IntegrationLimitExceeded, match="Developer plan allows 5 integrations"):
        publish(acme, "consumer-5", "provider")
    assert integrations(acme) == 5
    assert "Developer plan" in admin.get("/settings/subscription").content.decode()

    # Team with 5 seats through Checkout; the plan changes only when Stripe's signed event arrives.
    response = admin.post("/settings/subscription/checkout", {"plan": "team", "seats": 5})
    assert response.status_code == 302
    session = stripe_server.checkout_complete(response["Location"].rsplit("/", 1)[1])
    assert admin.get("/settings/subscription?checkout=done").status_code == 302
    assert tenant().plan == "developer"
    assert send("checkout.session.completed", session) == "subscription-active"
    assert (tenant().plan, tenant().seats) == ("team", 5)
    publish(acme, "consumer-5", "provider")  # no integration limit any more
    people_add(acme, 4)  # 5 people on 5 seats
    refused = admin.post("/settings/subscription/seats", {"seats": 4})
    assert refused.status_code == 400 and "5 people are active" in refused.content.decode()

    # Business: the admin changes plan, Stripe confirms with customer.subscription.updated.
    assert admin.post("/settings/subscription/plan", {"plan": "business"}).status_code == 302
    subscription_id = session["subscription"]
    sub = stripe_server.subscription(subscription_id)
    assert sub["items"]["data"][0]["price"]["id"] == "price_business"
    assert send("customer.subscription.updated", sub) == "subscription-active"
    assert (tenant().plan, tenant().seats) == ("business", 5)

    # The renewal fails: past due, still writable during the grace period.
    sub = stripe_server.subscription_set(subscription_id, status="past_due")
    assert send("invoice.payment_failed", stripe_server.invoice(sub, status="open")) == "payment-failed"
    assert send("customer.subscription.updated", sub) == "subscription-past_due"
    assert api.post("/pacticipants", data="{}", content_type="application/json").status_code == 400
    assert "Writes stop on" in admin.get("/settings/subscription").content.decode()

    # After the grace period: read-only. Reads, sign-in and the billing pages keep working.
    BillingAccount.objects.filter(tenant=acme.tenant).update(
        past_due_since=BillingAccount.objects.get(tenant=acme.tenant).past_due_since - timedelta(days=8)
    )
    write = api.post("/pacticipants", data="{}", content_type="application/json")
    assert write.status_code == 402 and "read-only" in write.json()["error"]
    assert api.get("/can-i-deploy?pacticipant=consumer-1&version=1&to-environment=production").status_code == 400
    assert admin.get("/settings/subscription").status_code == 200
    assert outsider.client().post("/pacticipants", data="{}", content_type="application/json").status_code == 400

    # Paid again: writes are back, nothing was deleted along the way.
    sub = stripe_server.subscription_set(subscription_id, status="active")
    assert send("invoice.paid", stripe_server.invoice(sub, status="paid")) == "paid"
    assert send("customer.subscription.updated", sub) == "subscription-active"
    assert api.post("/pacticipants", data="{}", content_type="application/json").status_code == 400
    assert (tenant().plan, tenant().seats) == ("business", 5)
    assert integrations(acme) == 6
    account = BillingAccount.objects.get(tenant=acme.tenant)
    assert (account.status, account.past_due_since) == ("active", None)
