"""Writes on billing: Checkout, the Billing portal, plan and seat changes, invoiced subscriptions.

Entitlements (plan, seats) change only from Stripe's state (webhooks, or the API's own answer for
an invoiced subscription we create), never from a browser coming back from Checkout. Stripe calls
happen before our short transaction; each write records an audit entry.
"""

import uuid

from django.db import transaction

from billing import stripe_api
from billing.audit import billing_audit
from billing.limits import seats_in_use
from billing.models import BillingAccount
from billing.plans import PLANS, plan_get
from billing.services.stripe_events import subscription_state_apply


class BillingError(Exception):
    """A billing request refused for a reason the person can act on."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def billing_account_get(*, tenant) -> BillingAccount:
    account, _ = BillingAccount.objects.select_related("tenant").get_or_create(tenant=tenant)
    return account


def _seats_validate(*, tenant, plan, seats: int) -> None:
    if seats < 1:
        raise BillingError("Choose at least one seat.")
    if seats > plan.max_seats:
        raise BillingError(f"The {plan.name} plan is sold with at most {plan.max_seats} seats; contact us for more.")
    used = seats_in_use(tenant)
    if seats < used:
        raise BillingError(
            f"{used} people are active in this organisation, so it needs at least {used} seats. "
            f"Deactivate {used - seats} of them under Settings > Users first, then reduce the seats."
        )


def _customer_ensure(*, tenant, email: str) -> BillingAccount:
    account = billing_account_get(tenant=tenant)
    if account.stripe_customer_id:
        return account
    customer_id = stripe_api.customer_create(tenant=tenant, email=email)
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        if not account.stripe_customer_id:
            account.stripe_customer_id = customer_id
            account.save(update_fields=["stripe_customer_id", "updated_at"])
    return account


def checkout_start(*, tenant, actor, plan_slug: str, seats: int, success_url: str, cancel_url: str) -> str:
    """Start a Stripe Checkout session for a self-serve plan; returns the URL to send the browser to."""
    plan = PLANS.get(plan_slug)
    if plan is None or not plan.self_serve:
        raise BillingError("That plan cannot be bought online; contact us for an invoiced plan.")
    price_id = plan.price_id()
    if not price_id:
        raise BillingError(f"The {plan.name} plan has no Stripe price configured on this installation.")
    account = billing_account_get(tenant=tenant)
    if account.has_live_subscription:
        raise BillingError("This organisation already has a subscription: change its plan or seats instead.")
    current = plan_get(getattr(tenant, "plan", None))
    if not current.is_free:
        # An invoiced or hand-set plan (Enterprise): a Checkout would start a second, card
        # subscription whose plan would then replace the arranged one.
        raise BillingError(f"The {current.name} plan is arranged with us: contact us to change the plan or seats.")
    _seats_validate(tenant=tenant, plan=plan, seats=seats)
    account = _customer_ensure(tenant=tenant, email=actor.email)
    session = stripe_api.checkout_session_create(
        tenant=tenant,
        customer_id=account.stripe_customer_id,
        price_id=price_id,
        seats=seats,
        plan_slug=plan.slug,
        success_url=success_url,
        cancel_url=cancel_url,
    )
    with transaction.atomic():
        billing_audit(
            tenant=tenant,
            actor=actor,
            action="billing.checkout_started",
            details={"plan": plan.slug, "seats": seats, "checkout_session": session["id"]},
        )
    return session["url"]


def portal_start(*, tenant, actor, return_url: str) -> str:
    """A Billing portal session (card, invoices, seats, cancellation); returns its URL."""
    account = billing_account_get(tenant=tenant)
    if not account.stripe_customer_id:
        raise BillingError("This organisation has no billing details yet: choose a plan first.")
    url = stripe_api.portal_session_create(customer_id=account.stripe_customer_id, return_url=return_url)
    with transaction.atomic():
        billing_audit(tenant=tenant, actor=actor, action="billing.portal_opened")
    return url


def _live_card_subscription(tenant) -> BillingAccount:
    account = billing_account_get(tenant=tenant)
    if not account.has_live_subscription:
        raise BillingError("This organisation has no subscription yet: choose a plan first.")
    if account.collection_method == BillingAccount.Collection.INVOICE:
        raise BillingError("This organisation is billed by invoice: contact us to change the plan or seats.")
    return account


def subscription_plan_change(*, tenant, actor, plan_slug: str) -> None:
    """Move the subscription to another self-serve plan (Stripe prorates). Takes effect when Stripe
    confirms it (customer.subscription.updated)."""
    plan = PLANS.get(plan_slug)
    if plan is None or not plan.self_serve:
        raise BillingError(
            "That plan cannot be bought online: to go back to the free plan, cancel the "
            "subscription in the billing portal; for Enterprise, contact us."
        )
    if plan.slug == tenant.plan:
        raise BillingError(f"This organisation is already on the {plan.name} plan.")
    price_id = plan.price_id()
    if not price_id:
        raise BillingError(f"The {plan.name} plan has no Stripe price configured on this installation.")
    account = _live_card_subscription(tenant)
    _seats_validate(tenant=tenant, plan=plan, seats=tenant.seats)
    stripe_api.subscription_item_update(
        subscription_id=account.stripe_subscription_id,
        price_id=price_id,
        seats=tenant.seats,
        operation=f"plan-{tenant.pk}-{uuid.uuid4().hex}",
    )
    with transaction.atomic():
        billing_audit(
            tenant=tenant,
            actor=actor,
            action="billing.plan_change_requested",
            details={"from": tenant.plan, "to": plan.slug},
        )


def subscription_seats_change(*, tenant, actor, seats: int) -> None:
    """Buy more seats or give some back; never fewer than the people active now."""
    plan = plan_get(tenant.plan)
    account = _live_card_subscription(tenant)
    if seats == tenant.seats:
        raise BillingError(f"This organisation already has {seats} seats.")
    _seats_validate(tenant=tenant, plan=plan, seats=seats)
    stripe_api.subscription_item_update(
        subscription_id=account.stripe_subscription_id,
        price_id=account.stripe_price_id or plan.price_id(),
        seats=seats,
        operation=f"seats-{tenant.pk}-{uuid.uuid4().hex}",
    )
    with transaction.atomic():
        billing_audit(
            tenant=tenant,
            actor=actor,
            action="billing.seats_change_requested",
            details={"from": tenant.seats, "to": seats},
        )


# --- Platform staff (public site) ----------------------------------------------------------------


def subscription_invoiced_start(*, tenant, staff, plan_slug: str, seats: int, billing_email: str) -> BillingAccount:
    """An annual Business or Enterprise subscription paid by invoice, started by platform staff."""
    plan = PLANS.get(plan_slug)
    if plan is None or plan.is_free or plan.slug == "team":
        raise BillingError("Invoiced billing is for annual Business and Enterprise plans.")
    price_id = plan.price_id(annual=True)
    if not price_id:
        raise BillingError(f"STRIPE_PRICE_{plan.slug.upper()}_ANNUAL is not configured.")
    account = billing_account_get(tenant=tenant)
    if account.has_live_subscription:
        raise BillingError("This organisation already has a live subscription; cancel it in Stripe first.")
    _seats_validate(tenant=tenant, plan=plan, seats=seats)
    account = _customer_ensure(tenant=tenant, email=billing_email)
    subscription = stripe_api.subscription_create_invoiced(
        customer_id=account.stripe_customer_id,
        price_id=price_id,
        seats=seats,
        tenant=tenant,
        plan_slug=plan.slug,
        operation=f"invoiced-{tenant.pk}-{uuid.uuid4().hex}",
    )
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().select_related("tenant").get(pk=account.pk)
        subscription_state_apply(account=account, subscription=subscription, source="platform.invoiced")
        billing_audit(
            tenant=tenant,
            actor=None,
            action="billing.invoiced_subscription_started",
            details={"plan": plan.slug, "seats": seats, "staff": staff.email, "subscription": subscription.get("id")},
        )
    return account


@transaction.atomic
def plan_set_by_hand(*, tenant, staff, plan_slug: str, seats: int, follow_stripe: bool = False) -> None:
    """Set the plan and seats of an (invoiced) customer by hand. Never deletes anything: a lower
    plan only stops new integrations and people until the organisation fits again.

    With `follow_stripe`, Stripe's subscription state takes over again at its next event.
    """
    plan = PLANS.get(plan_slug)
    if plan is None:
        raise BillingError("Unknown plan.")
    if seats < 1:
        raise BillingError("Choose at least one seat.")
    account = BillingAccount.objects.select_for_update().filter(tenant=tenant).first() or billing_account_get(
        tenant=tenant
    )
    before = {"plan": tenant.plan, "seats": tenant.seats}
    tenant.plan, tenant.seats = plan.slug, seats
    tenant.save(update_fields=["plan", "seats"])
    account.manual_plan = not follow_stripe
    account.save(update_fields=["manual_plan", "updated_at"])
    billing_audit(
        tenant=tenant,
        actor=None,
        action="billing.plan_set_by_platform",
        details={
            "staff": staff.email,
            "plan": plan.slug,
            "seats": seats,
            "previous": before,
            "seats_in_use": seats_in_use(tenant),
            "follow_stripe": follow_stripe,
        },
    )
