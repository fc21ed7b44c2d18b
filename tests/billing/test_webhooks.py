"""Stripe webhooks on the public site: signatures verified for real, replays and out-of-order
events change nothing, every handled event type moves the organisation as Stripe says."""

import time

import pytest
from django.utils import timezone

from billing import services
from billing.models import BillingAccount, ProcessedStripeEvent
from tenants.models import Tenant
from tests.support.stripe_server import event_payload, stripe_event, stripe_signature


def checkout(org, stripe_server, *, plan="team", seats=5):
    """Start Checkout as the admin would, and pay it as the customer would."""
    url = services.checkout_start(
        tenant=org.tenant,
        actor=org.admin,
        plan_slug=plan,
        seats=seats,
        success_url="https://acme.example/done",
        cancel_url="https://acme.example/",
    )
    return stripe_server.checkout_complete(url.rsplit("/", 1)[1])


def subscribed(org, stripe_server, deliver, **kwargs):
    session = checkout(org, stripe_server, **kwargs)
    assert deliver(stripe_event("checkout.session.completed", session)).status_code == 200
    return stripe_server.subscription(session["subscription"])


def fresh(org):
    tenant = Tenant.objects.get(pk=org.tenant.pk)
    return tenant, BillingAccount.objects.get(tenant=tenant)


@pytest.mark.django_db
def test_checkout_completion_moves_the_organisation_to_the_paid_plan_and_seats(acme, outsider, stripe_server, deliver):
    session = checkout(acme, stripe_server, plan="team", seats=5)

    response = deliver(stripe_event("checkout.session.completed", session))

    assert response.status_code == 200
    assert response.json()["outcome"] == "subscription-active"
    tenant, account = fresh(acme)
    assert (tenant.plan, tenant.seats, account.status) == ("team", 5, "active")
    assert account.stripe_subscription_id == session["subscription"]
    assert Tenant.objects.get(pk=outsider.tenant.pk).plan == "developer"


@pytest.mark.django_db
def test_a_replayed_event_changes_nothing(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver)
    cancelled = stripe_event("customer.subscription.deleted", {**sub, "status": "canceled"})
    assert deliver(cancelled).json()["outcome"] == "subscription-canceled"
    Tenant.objects.filter(pk=acme.tenant.pk).update(plan="team", seats=5)  # as if set again since

    replay = deliver(cancelled)

    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"
    assert Tenant.objects.get(pk=acme.tenant.pk).plan == "team"
    assert ProcessedStripeEvent.objects.filter(event_id=cancelled["id"]).count() == 1


@pytest.mark.django_db
def test_a_bad_signature_is_refused_and_changes_nothing(acme, stripe_server, deliver):
    session = checkout(acme, stripe_server)

    response = deliver(stripe_event("checkout.session.completed", session), secret="whsec_guessed")

    assert response.status_code == 400
    assert Tenant.objects.get(pk=acme.tenant.pk).plan == "developer"
    assert not ProcessedStripeEvent.objects.exists()


@pytest.mark.django_db
def test_a_stale_signature_timestamp_is_refused(acme, stripe_server, deliver):
    session = checkout(acme, stripe_server)

    response = deliver(stripe_event("checkout.session.completed", session), timestamp=int(time.time()) - 301)

    assert response.status_code == 400
    assert Tenant.objects.get(pk=acme.tenant.pk).plan == "developer"


@pytest.mark.django_db
def test_a_body_reserialised_after_signing_is_refused(acme, stripe_server, deliver):
    event = stripe_event("checkout.session.completed", checkout(acme, stripe_server))
    signature = stripe_signature(event_payload(event), "whsec_test_not_a_real_secret")
    compact = event_payload(event).replace(b"\n", b"").replace(b"  ", b"")

    response = deliver(event, body=compact, signature=signature)

    assert response.status_code == 400
    assert not ProcessedStripeEvent.objects.exists()


@pytest.mark.django_db
def test_a_missing_signature_or_garbage_body_is_refused(public):
    assert public.post("/stripe/webhook", data=b"{}", content_type="application/json").status_code == 400
    assert (
        public.post(
            "/stripe/webhook", data=b"not json", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"
        ).status_code
        == 400
    )


@pytest.mark.django_db
def test_the_webhook_is_not_served_on_an_organisation_host(acme, stripe_server):
    response = acme.browser().post("/stripe/webhook", data=b"{}", content_type="application/json")

    assert response.status_code == 404


@pytest.mark.django_db
def test_subscription_updated_changes_plan_and_seats(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver)
    item = sub["items"]["data"][0]
    updated = {
        **sub,
        "items": {
            **sub["items"],
            "data": [{**item, "quantity": 8, "price": {**item["price"], "id": "price_business"}}],
        },
    }

    assert deliver(stripe_event("customer.subscription.updated", updated)).status_code == 200

    tenant, _ = fresh(acme)
    assert (tenant.plan, tenant.seats) == ("business", 8)


@pytest.mark.django_db
def test_subscription_created_for_a_known_customer_applies_it(acme, stripe_server, deliver):
    session = checkout(acme, stripe_server, plan="business", seats=3)
    sub = stripe_server.subscription(session["subscription"])

    assert deliver(stripe_event("customer.subscription.created", sub)).json()["outcome"] == "subscription-active"

    assert fresh(acme)[0].plan == "business"


@pytest.mark.django_db
def test_subscription_deleted_downgrades_to_the_free_plan_and_deletes_nothing(acme, stripe_server, deliver):
    from tests.billing.conftest import integrations, people_add, publish

    sub = subscribed(acme, stripe_server, deliver)
    for index in range(7):
        publish(acme, f"consumer-{index}", "provider")
    people_add(acme, 3)

    deliver(stripe_event("customer.subscription.deleted", {**sub, "status": "canceled"}))

    tenant, account = fresh(acme)
    assert (tenant.plan, tenant.seats, account.status) == ("developer", 2, "canceled")
    assert integrations(acme) == 7
    from billing.limits import seats_in_use

    assert seats_in_use(tenant) == 4


@pytest.mark.django_db
def test_an_older_update_arriving_after_a_newer_one_is_ignored(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver, seats=5)
    item = sub["items"]["data"][0]
    now = int(time.time()) + 5
    newer = stripe_event(
        "customer.subscription.updated",
        {**sub, "items": {**sub["items"], "data": [{**item, "quantity": 9}]}},
        created=now,
    )
    older = stripe_event(
        "customer.subscription.updated",
        {**sub, "items": {**sub["items"], "data": [{**item, "quantity": 6}]}},
        created=now - 3,
    )

    deliver(newer)
    response = deliver(older)

    assert response.json()["outcome"] == "stale"
    assert fresh(acme)[0].seats == 9


@pytest.mark.django_db
def test_deleted_before_updated_in_the_same_second_keeps_the_subscription_cancelled(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver)
    second = int(time.time()) + 2
    deleted = stripe_event("customer.subscription.deleted", {**sub, "status": "canceled"}, created=second)
    updated = stripe_event("customer.subscription.updated", {**sub, "status": "active"}, created=second)

    deliver(deleted)
    assert deliver(updated).json()["outcome"] == "stale"

    tenant, account = fresh(acme)
    assert (tenant.plan, account.status) == ("developer", "canceled")


@pytest.mark.django_db
def test_an_old_subscription_ending_does_not_end_the_current_one(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver)

    response = deliver(
        stripe_event("customer.subscription.deleted", {**sub, "id": "sub_an_older_one", "status": "canceled"})
    )

    assert response.json()["outcome"] == "other-subscription"
    assert fresh(acme)[0].plan == "team"


@pytest.mark.django_db
def test_payment_failed_starts_the_grace_period_and_paid_ends_it(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver)

    deliver(stripe_event("invoice.payment_failed", stripe_server.invoice(sub, status="open")))
    _, account = fresh(acme)
    assert account.status == "past_due" and account.past_due_since is not None

    deliver(stripe_event("invoice.paid", stripe_server.invoice(sub, status="paid")))
    tenant, account = fresh(acme)
    assert (account.status, account.past_due_since, tenant.plan) == ("active", None, "team")


@pytest.mark.django_db
def test_an_invoice_of_another_subscription_changes_nothing(acme, stripe_server, deliver):
    sub = subscribed(acme, stripe_server, deliver)

    response = deliver(
        stripe_event("invoice.payment_failed", stripe_server.invoice({**sub, "id": "sub_other"}, status="open"))
    )

    assert response.json()["outcome"] == "other-subscription"
    assert fresh(acme)[1].status == "active"


@pytest.mark.django_db
def test_an_event_for_an_unknown_customer_is_acknowledged_and_changes_nothing(acme, deliver):
    response = deliver(
        stripe_event(
            "customer.subscription.updated",
            {
                "id": "sub_x",
                "object": "subscription",
                "customer": "cus_nobody",
                "status": "active",
                "items": {"data": []},
            },
        )
    )

    assert response.status_code == 200 and response.json()["outcome"] == "unknown-customer"


@pytest.mark.django_db
def test_an_event_type_we_do_not_handle_is_acknowledged(deliver):
    response = deliver(stripe_event("customer.created", {"id": "cus_1", "object": "customer"}))

    assert response.json()["outcome"] == "ignored"


@pytest.mark.django_db
def test_the_checkout_return_redirect_alone_upgrades_nothing(acme, stripe_server):
    from tests.billing.conftest import browser_for

    checkout(acme, stripe_server)  # paid at Stripe, but no signed event has arrived
    browser = browser_for(acme)

    response = browser.get("/settings/subscription?checkout=done", follow=True)

    assert response.status_code == 200
    assert Tenant.objects.get(pk=acme.tenant.pk).plan == "developer"


@pytest.mark.django_db
def test_a_plan_set_by_hand_is_not_overwritten_by_stripe(acme, stripe_server, deliver, django_user_model):
    sub = subscribed(acme, stripe_server, deliver)
    staff = django_user_model(email="ops@platform.example")
    services.plan_set_by_hand(
        tenant=Tenant.objects.get(pk=acme.tenant.pk), staff=staff, plan_slug="enterprise", seats=40
    )

    deliver(stripe_event("customer.subscription.updated", sub, created=int(timezone.now().timestamp()) + 5))

    assert (fresh(acme)[0].plan, fresh(acme)[0].seats) == ("enterprise", 40)
