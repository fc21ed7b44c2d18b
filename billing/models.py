"""Billing state, in the public schema: one account per organisation and the Stripe events seen.

The entitlements themselves (plan, seats) stay on the Tenant row, where every request already
has them; this account holds what Stripe told us and when, so that an older event never
overwrites a newer state.
"""

from django.db import models


class BillingAccount(models.Model):
    class Status(models.TextChoices):
        NONE = "none", "No subscription"
        INCOMPLETE = "incomplete", "Awaiting first payment"
        TRIALING = "trialing", "Trial"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Payment overdue"
        UNPAID = "unpaid", "Unpaid"
        CANCELED = "canceled", "Cancelled"
        INCOMPLETE_EXPIRED = "incomplete_expired", "Expired before payment"
        PAUSED = "paused", "Paused"

    class Collection(models.TextChoices):
        CARD = "charge_automatically", "Card (Stripe Checkout)"
        INVOICE = "send_invoice", "Invoice"

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="billing")
    stripe_customer_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=64, blank=True, default="")
    stripe_price_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NONE)
    collection_method = models.CharField(max_length=24, choices=Collection.choices, default=Collection.CARD)
    cancel_at_period_end = models.BooleanField(default=False)
    # When the current payment problem started (first failed invoice or first past_due state).
    past_due_since = models.DateTimeField(null=True, blank=True)
    # `created` of the newest Stripe event applied: older events never overwrite newer state.
    state_at = models.DateTimeField(null=True, blank=True)
    # A plan set by hand by platform staff (invoiced customers); Stripe events then leave it alone.
    manual_plan = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.status}"

    @property
    def has_live_subscription(self) -> bool:
        return bool(self.stripe_subscription_id) and self.status in LIVE_STATUSES


LIVE_STATUSES = {
    BillingAccount.Status.TRIALING,
    BillingAccount.Status.ACTIVE,
    BillingAccount.Status.PAST_DUE,
    BillingAccount.Status.UNPAID,
    BillingAccount.Status.PAUSED,
}
OVERDUE_STATUSES = {BillingAccount.Status.PAST_DUE, BillingAccount.Status.UNPAID}


class ProcessedStripeEvent(models.Model):
    """A Stripe event we have handled: a replay of the same id changes nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField(help_text="the event's own `created`, from Stripe")
    processed_at = models.DateTimeField(auto_now_add=True)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.SET_NULL, null=True, blank=True)
    outcome = models.CharField(max_length=40)

    def __str__(self) -> str:
        return f"{self.event_id} {self.type} ({self.outcome})"
