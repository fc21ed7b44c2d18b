"""Reads for the subscription page and the platform admin."""

from dataclasses import dataclass

from django_tenants.utils import get_public_schema_name, schema_context

from billing.limits import integration_count, read_only_since, seats_in_use
from billing.models import BillingAccount
from billing.plans import PLANS, Limits, limits_for


@dataclass(frozen=True)
class Overview:
    tenant: object
    limits: Limits
    account: BillingAccount | None
    seats_used: int
    integrations_used: int
    read_only_from: object  # datetime or None
    viewer_seats_used: int = 0

    @property
    def over_seats(self) -> int:
        return max(self.seats_used - self.limits.seats, 0)

    @property
    def over_integrations(self) -> int:
        limit = self.limits.integrations
        return 0 if limit is None else max(self.integrations_used - limit, 0)

    @property
    def live(self) -> bool:
        return bool(self.account and self.account.has_live_subscription)

    @property
    def arranged(self) -> bool:
        """A paid plan without a card subscription: invoiced, or set by the platform team (Enterprise
        is only sold this way). Checkout is not offered: buying a plan online would replace it."""
        return not self.limits.plan.is_free and not self.live

    @property
    def invoiced(self) -> bool:
        by_invoice = self.account and self.account.collection_method == BillingAccount.Collection.INVOICE
        return bool(by_invoice) or (self.arranged and self.limits.plan.purchase == "invoice")

    @property
    def status_label(self) -> str:
        if self.live:
            return self.account.get_status_display()
        if self.arranged:
            return "Active, billed by invoice" if self.invoiced else "Active, set by the platform team"
        if self.account and self.account.status not in (BillingAccount.Status.NONE, BillingAccount.Status.ACTIVE):
            return self.account.get_status_display()  # a cancelled or expired subscription says so
        return "Free plan"

    @property
    def upgrades(self) -> list:
        """Plans above the current one, in order (an "Upgrade" never offers a smaller plan)."""
        order = list(PLANS)
        return [PLANS[slug] for slug in order[order.index(self.limits.plan.slug) + 1 :]]


def _integrations_used(tenant) -> int:
    with schema_context(tenant.schema_name):
        return integration_count()


def organisation_overview(tenant) -> Overview:
    account = BillingAccount.objects.filter(tenant_id=tenant.pk).first()
    return Overview(
        tenant=tenant,
        limits=limits_for(tenant),
        account=account,
        seats_used=seats_in_use(tenant),
        integrations_used=_integrations_used(tenant),
        read_only_from=read_only_since(tenant),
        viewer_seats_used=seats_in_use(tenant, "viewer"),
    )


def organisations_overview() -> list[Overview]:
    """Every organisation with its plan, seats used/bought and billing status (platform admin).

    Two queries per organisation for the counts: fine for an admin page; it is not a hot path.
    """
    from tenants.models import Tenant

    with schema_context(get_public_schema_name()):
        tenants = list(Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("slug"))
        accounts = {a.tenant_id: a for a in BillingAccount.objects.filter(tenant__in=tenants)}
    rows = []
    for tenant in tenants:
        rows.append(
            Overview(
                tenant=tenant,
                limits=limits_for(tenant),
                account=accounts.get(tenant.pk),
                seats_used=seats_in_use(tenant),
                integrations_used=_integrations_used(tenant),
                read_only_from=read_only_since(tenant),
            )
        )
    return rows


def plans_for_display() -> list:
    return list(PLANS.values())
