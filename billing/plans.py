"""Plans and their limits, as data. `limits_for(tenant)` is how the rest of the code asks.

Seats are bought per organisation (Tenant.seats, kept equal to the Stripe subscription's quantity);
everything else follows the plan. Stripe price ids come from settings (STRIPE_PRICE_<PLAN>), so the
same code runs against live Stripe, test mode and the local Stripe the tests start.
"""

from dataclasses import dataclass

from django.conf import settings

FREE_PLAN = "developer"


@dataclass(frozen=True)
class Plan:
    slug: str
    name: str
    default_seats: int
    system_accounts: int
    integrations: int | None  # None: unlimited
    sso_modes: frozenset[str]
    webhooks: bool
    secrets: bool
    retention_days: int | None  # None: kept for ever
    # How it is bought: "free", "checkout" (self-serve, monthly, by card) or "invoice" (annual,
    # arranged with us; a platform admin starts the subscription).
    purchase: str = "checkout"
    # Days the audit log keeps an entry (apps/accounts/tasks.py removes older ones); None: for ever.
    audit_retention_days: int | None = 365
    max_seats: int = 500
    summary: str = ""
    # Viewer seats (PactFlow's seat types): people who only read. Bought seats (`Tenant.seats`) are
    # Editor seats; each plan includes this many Viewer seats besides (None: as many as needed).
    viewer_seats: int | None = 0
    # SCIM 2.0 provisioning from the organisation's identity provider (needs SAML too; sso/scim/).
    scim: bool = False

    @property
    def is_free(self) -> bool:
        return self.purchase == "free"

    @property
    def self_serve(self) -> bool:
        return self.purchase == "checkout"

    def price_id(self, *, annual: bool = False) -> str | None:
        """The Stripe price of this plan (per seat), from settings; None when not configured."""
        suffix = "_ANNUAL" if annual else ""
        return getattr(settings, f"STRIPE_PRICE_{self.slug.upper()}{suffix}", None) or None


_SOCIAL = frozenset({"password", "github", "google"})

PLANS = {
    plan.slug: plan
    for plan in [
        Plan(
            "developer",
            "Developer",
            2,
            0,
            5,
            _SOCIAL,
            True,
            False,
            90,
            purchase="free",
            audit_retention_days=90,
            max_seats=2,
            summary="Free: 2 people, 5 integrations, 90 days of history.",
            viewer_seats=0,
        ),
        Plan(
            "team",
            "Team",
            5,
            2,
            None,
            _SOCIAL,
            True,
            True,
            365,
            summary="Unlimited integrations, secrets, 2 system accounts, a year of history.",
            viewer_seats=10,
        ),
        Plan(
            "business",
            "Business",
            10,
            10,
            None,
            _SOCIAL | {"saml"},
            True,
            True,
            None,
            audit_retention_days=3 * 365,
            summary="SAML single sign-on, 10 system accounts, history kept for ever.",
            viewer_seats=50,
        ),
        Plan(
            "enterprise",
            "Enterprise",
            20,
            100,
            None,
            _SOCIAL | {"saml"},
            True,
            True,
            None,
            purchase="invoice",
            audit_retention_days=None,
            max_seats=10_000,
            summary="Invoiced annually; 100 system accounts, SCIM provisioning; everything in Business.",
            viewer_seats=None,
            scim=True,
        ),
    ]
}


def plan_get(slug: str | None) -> Plan:
    """The plan with this slug; an unknown slug reads as the free plan (never more rights)."""
    return PLANS.get(slug or FREE_PLAN, PLANS[FREE_PLAN])


def plan_for_price(price_id: str | None) -> tuple[Plan, bool] | None:
    """(plan, annual) for a Stripe price id from settings, or None when it is none of ours."""
    if not price_id:
        return None
    for plan in PLANS.values():
        for annual in (False, True):
            if plan.price_id(annual=annual) == price_id:
                return plan, annual
    return None


@dataclass(frozen=True)
class Limits:
    plan: Plan
    seats: int

    @property
    def viewer_seats(self) -> int | None:
        return self.plan.viewer_seats

    @property
    def scim(self) -> bool:
        return self.plan.scim

    @property
    def integrations(self) -> int | None:
        return self.plan.integrations

    @property
    def system_accounts(self) -> int:
        return self.plan.system_accounts

    @property
    def sso_modes(self) -> frozenset[str]:
        return self.plan.sso_modes

    @property
    def webhooks(self) -> bool:
        return self.plan.webhooks

    @property
    def secrets(self) -> bool:
        return self.plan.secrets

    @property
    def retention_days(self) -> int | None:
        return self.plan.retention_days

    @property
    def audit_retention_days(self) -> int | None:
        return self.plan.audit_retention_days


def limits_for(tenant) -> Limits:
    plan = plan_get(getattr(tenant, "plan", FREE_PLAN))
    seats = getattr(tenant, "seats", None) or plan.default_seats
    return Limits(plan=plan, seats=seats)
