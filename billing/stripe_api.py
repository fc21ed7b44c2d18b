"""The only module that talks to Stripe (the official `stripe` client).

Every call goes through `stripe_client()`, pointed at STRIPE_API_BASE (the tests start a local
Stripe). Outbound writes carry an idempotency key derived from our own operation, so a retried
call never creates a second customer or subscription. Nothing here logs keys or card data (we never
see card data: Checkout and the Billing portal are hosted by Stripe).
"""

import stripe
from django.conf import settings

StripeError = stripe.StripeError


class BillingNotConfigured(Exception):
    """STRIPE_SECRET_KEY is not set: billing is switched off on this installation."""


def billing_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY) and not settings.SINGLE_TENANT


def stripe_client() -> stripe.StripeClient:
    if not billing_enabled():
        raise BillingNotConfigured("Billing is not configured on this installation.")
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=2,
    )


def customer_create(*, tenant, email: str) -> str:
    customer = stripe_client().v1.customers.create(
        params={
            "name": tenant.name,
            "email": email,
            "metadata": {"tenant_id": str(tenant.pk), "organisation": tenant.slug},
        },
        options={"idempotency_key": f"cb-customer-{tenant.pk}-{tenant.slug}"},
    )
    return customer.id


def checkout_session_create(
    *, tenant, customer_id: str, price_id: str, seats: int, plan_slug: str, success_url: str, cancel_url: str
) -> dict:
    session = stripe_client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(tenant.pk),
            "line_items": [{"price": price_id, "quantity": seats}],
            "subscription_data": {"metadata": {"tenant_id": str(tenant.pk), "plan": plan_slug}},
            "metadata": {"tenant_id": str(tenant.pk), "plan": plan_slug},
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
    )
    return {"id": session.id, "url": session.url}


def portal_session_create(*, customer_id: str, return_url: str) -> str:
    session = stripe_client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url}
    )
    return session.url


def subscription_retrieve(subscription_id: str) -> dict:
    return stripe_client().v1.subscriptions.retrieve(subscription_id).to_dict()


def subscription_item_update(*, subscription_id: str, price_id: str, seats: int, operation: str) -> dict:
    """Change the price and/or quantity of a subscription's single item (prorated by Stripe)."""
    client = stripe_client()
    subscription = client.v1.subscriptions.retrieve(subscription_id)
    item_id = subscription["items"]["data"][0]["id"]
    updated = client.v1.subscriptions.update(
        subscription_id,
        params={
            "items": [{"id": item_id, "price": price_id, "quantity": seats}],
            "proration_behavior": "create_prorations",
        },
        options={"idempotency_key": f"cb-{operation}"},
    )
    return updated.to_dict()


def subscription_create_invoiced(
    *, customer_id: str, price_id: str, seats: int, tenant, plan_slug: str, operation: str
) -> dict:
    """An annual subscription paid by invoice (no card): Stripe emails invoices, due in N days."""
    subscription = stripe_client().v1.subscriptions.create(
        params={
            "customer": customer_id,
            "items": [{"price": price_id, "quantity": seats}],
            "collection_method": "send_invoice",
            "days_until_due": settings.BILLING_INVOICE_DAYS_UNTIL_DUE,
            "metadata": {"tenant_id": str(tenant.pk), "plan": plan_slug},
        },
        options={"idempotency_key": f"cb-{operation}"},
    )
    return subscription.to_dict()


def subscription_cancel(*, subscription_id: str, operation: str) -> dict:
    """Cancel a subscription now (an organisation closed: nothing more is charged)."""
    cancelled = stripe_client().v1.subscriptions.cancel(subscription_id, options={"idempotency_key": f"cb-{operation}"})
    return cancelled.to_dict()
