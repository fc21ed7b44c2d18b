"""Closing an organisation cancels its Stripe subscription (through billing/stripe_api.py) before its
data is deleted; the billing account, which holds the billing email, goes with the organisation."""

from datetime import timedelta

from django.utils import timezone

from billing import stripe_api
from billing.models import BillingAccount
from tenants.closing import closed_organisations_delete, organisation_close_request
from tenants.models import ClosedOrganisation, Tenant
from tests.billing.conftest import browser_for


def test_deleting_a_closed_organisation_cancels_its_subscription(acme, outsider, stripe_server):
    admin = browser_for(acme)
    response = admin.post("/settings/subscription/checkout", {"plan": "team", "seats": 5})
    assert response.status_code == 302
    session = stripe_server.checkout_complete(response["Location"].rsplit("/", 1)[1])
    subscription_id = session["subscription"]
    BillingAccount.objects.filter(tenant=acme.tenant).update(
        stripe_subscription_id=subscription_id, status=BillingAccount.Status.ACTIVE
    )
    assert stripe_api.subscription_retrieve(subscription_id)["status"] == "active"

    organisation_close_request(tenant=acme.tenant, actor=None, confirmation="acme")
    Tenant.objects.filter(pk=acme.tenant.pk).update(closing_deletes_at=timezone.now() - timedelta(seconds=1))
    assert closed_organisations_delete() == ["acme"]

    assert stripe_api.subscription_retrieve(subscription_id)["status"] == "canceled"
    assert not BillingAccount.objects.filter(tenant_id=acme.tenant.pk).exists()
    assert ClosedOrganisation.objects.get(slug="acme").subscription_cancelled is True
    assert Tenant.objects.filter(slug="globex").exists()
