"""Stripe webhook events: de-duplicate, apply to the organisation.

Order of operations for one delivery:
1. `stripe.Webhook.construct_event` checks the signature over the raw body (and the timestamp
   tolerance) before anything is parsed or written (`billing/api/contracts.py`);
2. in one transaction: the event id is inserted into ProcessedStripeEvent (unique), so a replay,
   even a concurrent one, finds it and changes nothing; the organisation's BillingAccount row is
   locked; the event is applied;
3. audit entries are written in the same transaction.

Stripe does not guarantee order. Each account remembers the `created` of the newest event
applied (`state_at`); an older event is recorded but changes nothing. Equal timestamps (Stripe's
clock has one-second resolution) are applied in arrival order, with one extra rule from the
subscription's own life cycle: a cancelled subscription never comes back to life, and a
cancellation of a subscription other than the current live one does not end the current one.
"""

import logging
from datetime import UTC, datetime

from django.db import IntegrityError, transaction

from billing.audit import billing_audit
from billing.models import LIVE_STATUSES, OVERDUE_STATUSES, BillingAccount, ProcessedStripeEvent
from billing.plans import FREE_PLAN, PLANS, plan_for_price

logger = logging.getLogger(__name__)

HANDLED = {
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_succeeded",
    "invoice.payment_failed",
}


def stripe_event_process(*, event: dict) -> str:
    """Apply a verified event once. Returns the outcome recorded (also for replays: "duplicate")."""
    created = datetime.fromtimestamp(event["created"], tz=UTC)
    obj = (event.get("data") or {}).get("object") or {}
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ProcessedStripeEvent.objects.create(
                    event_id=event["id"], type=event["type"][:100], created=created, outcome="pending"
                )
        except IntegrityError:
            return "duplicate"
        if event["type"] not in HANDLED:
            outcome, account = "ignored", None
        else:
            account = _account_for(obj)
            outcome = "unknown-customer" if account is None else _apply(account, event["type"], obj, created)
        record.outcome = outcome
        record.tenant_id = account.tenant_id if account else None
        record.save(update_fields=["outcome", "tenant"])
    logger.info("stripe event %s %s: %s", event["type"], event["id"], outcome)
    return outcome


def _customer_id(obj: dict) -> str | None:
    customer = obj.get("customer")
    return customer.get("id") if isinstance(customer, dict) else customer


def _account_for(obj: dict) -> BillingAccount | None:
    customer = _customer_id(obj)
    if not customer:
        return None
    return (
        BillingAccount.objects.select_for_update().select_related("tenant").filter(stripe_customer_id=customer).first()
    )


def _invoice_subscription_id(invoice: dict) -> str | None:
    # API versions from 2025-03-31 ("basil") moved it under parent.subscription_details.
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription = parent.get("subscription") or invoice.get("subscription")
    return subscription.get("id") if isinstance(subscription, dict) else subscription


def _apply(account: BillingAccount, event_type: str, obj: dict, created: datetime) -> str:
    if account.state_at is not None and created < account.state_at:
        return "stale"
    if event_type == "checkout.session.completed":
        subscription_id = obj.get("subscription")
        if isinstance(subscription_id, dict):
            subscription_id = subscription_id.get("id")
        if not subscription_id or obj.get("mode") != "subscription":
            return "ignored"
        # Checkout's own event carries no plan or seats: take the subscription's state from Stripe.
        from billing.stripe_api import subscription_retrieve

        return _apply_subscription(account, subscription_retrieve(subscription_id), created, source=event_type)
    if event_type.startswith("customer.subscription."):
        return _apply_subscription(account, obj, created, source=event_type)
    if _invoice_subscription_id(obj) != account.stripe_subscription_id or not account.stripe_subscription_id:
        return "other-subscription"
    if event_type == "invoice.payment_failed":
        if account.status in (BillingAccount.Status.ACTIVE, BillingAccount.Status.TRIALING):
            account.status = BillingAccount.Status.PAST_DUE
        account.past_due_since = account.past_due_since or created
        _save(account, created)
        billing_audit(
            tenant=account.tenant, actor=None, action="billing.payment_failed", details={"invoice": obj.get("id")}
        )
        return "payment-failed"
    # invoice.paid / invoice.payment_succeeded
    if account.status in OVERDUE_STATUSES or account.past_due_since is not None:
        if account.status in OVERDUE_STATUSES:
            account.status = BillingAccount.Status.ACTIVE
        account.past_due_since = None
        _save(account, created)
        billing_audit(
            tenant=account.tenant, actor=None, action="billing.payment_recovered", details={"invoice": obj.get("id")}
        )
        return "paid"
    _save(account, created)
    return "paid"


def _item(subscription: dict) -> dict:
    items = (subscription.get("items") or {}).get("data") or []
    return items[0] if items else {}


def _price_id(item: dict) -> str | None:
    price = item.get("price") or item.get("plan") or {}
    return price.get("id") if isinstance(price, dict) else price


def _apply_subscription(account: BillingAccount, subscription: dict, created: datetime, *, source: str) -> str:
    sub_id = subscription.get("id") or ""
    status = subscription.get("status") or ""
    if status not in BillingAccount.Status.values:
        return "unknown-status"
    if (
        sub_id == account.stripe_subscription_id
        and account.status == BillingAccount.Status.CANCELED
        and status != BillingAccount.Status.CANCELED
    ):
        return "stale"  # a cancelled subscription is final in Stripe: this is an older state
    if sub_id != account.stripe_subscription_id and account.has_live_subscription and status not in LIVE_STATUSES:
        return "other-subscription"  # an old subscription ending does not end the current one

    tenant = account.tenant
    before = (tenant.plan, tenant.seats, account.status)
    item = _item(subscription)
    price_id = _price_id(item)
    account.stripe_subscription_id = sub_id
    account.stripe_price_id = price_id or ""
    account.status = status
    account.collection_method = subscription.get("collection_method") or account.collection_method
    account.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    if status in OVERDUE_STATUSES:
        account.past_due_since = account.past_due_since or created
    else:
        account.past_due_since = None

    if status in LIVE_STATUSES:
        found = plan_for_price(price_id)
        if found is None:
            logger.warning("subscription %s has a price that is not configured for any plan", sub_id)
        elif not account.manual_plan:
            tenant.plan = found[0].slug
            tenant.seats = max(int(item.get("quantity") or 1), 1)
    elif status in (BillingAccount.Status.CANCELED, BillingAccount.Status.INCOMPLETE_EXPIRED):
        # Downgrade: back to the free plan's limits. Nothing is deleted; over-limit data stays
        # readable and only new integrations/people are refused until they fit again.
        if not account.manual_plan:
            tenant.plan = FREE_PLAN
            tenant.seats = PLANS[FREE_PLAN].default_seats
    # "incomplete": Checkout has not been paid yet; the plan does not change.
    _save(account, created)
    if (tenant.plan, tenant.seats) != before[:2]:
        tenant.save(update_fields=["plan", "seats"])  # save() also refreshes the routing cache
    if (tenant.plan, tenant.seats, account.status) != before:
        billing_audit(
            tenant=tenant,
            actor=None,
            action="billing.subscription_changed",
            details={
                "source": source,
                "subscription": sub_id,
                "status": status,
                "plan": tenant.plan,
                "seats": tenant.seats,
                "previous": {"plan": before[0], "seats": before[1], "status": before[2]},
            },
        )
    return f"subscription-{status}"


def subscription_state_apply(*, account: BillingAccount, subscription: dict, source: str) -> str:
    """Apply a subscription object Stripe's API just returned to us (not from a webhook)."""
    created = datetime.fromtimestamp(int(subscription.get("created") or 0), tz=UTC)
    if account.state_at is not None and created < account.state_at:
        created = account.state_at
    return _apply_subscription(account, subscription, created, source=source)


def _save(account: BillingAccount, created: datetime) -> None:
    account.state_at = max(account.state_at, created) if account.state_at else created
    account.save()
