"""Writes on billing: subscriptions (Stripe Checkout, the billing portal, plan and seat changes, staff
overrides) and the Stripe events that settle them. Import from here (`from billing import services`);
the submodules are split by concept only."""

from billing.services.stripe_events import stripe_event_process, subscription_state_apply
from billing.services.subscriptions import (
    BillingError,
    billing_account_get,
    checkout_start,
    plan_set_by_hand,
    portal_start,
    subscription_invoiced_start,
    subscription_plan_change,
    subscription_seats_change,
)

__all__ = [
    "BillingError",
    "billing_account_get",
    "checkout_start",
    "plan_set_by_hand",
    "portal_start",
    "stripe_event_process",
    "subscription_invoiced_start",
    "subscription_plan_change",
    "subscription_seats_change",
    "subscription_state_apply",
]
