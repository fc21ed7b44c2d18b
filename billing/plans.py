"""Plans and their limits, as data. `limits_for(tenant)` is how the rest of the code asks.

Seats are bought per organisation (Tenant.seats); everything else follows the plan.
"""
from dataclasses import dataclass


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
    retention_days: int | None


PLANS = {
    plan.slug: plan
    for plan in [
        Plan("developer", "Developer", 2, 0, 5, frozenset({"password", "github", "google"}), True, False, 90),
        Plan("team", "Team", 5, 2, None, frozenset({"password", "github", "google"}), True, True, 365),
        Plan("business", "Business", 10, 10, None,
             frozenset({"password", "github", "google", "saml"}), True, True, None),
        Plan("enterprise", "Enterprise", 20, 100, None,
             frozenset({"password", "github", "google", "saml"}), True, True, None),
    ]
}


@dataclass(frozen=True)
class Limits:
    plan: Plan
    seats: int


def limits_for(tenant) -> Limits:
    plan = PLANS.get(getattr(tenant, "plan", "developer"), PLANS["developer"])
    seats = getattr(tenant, "seats", None) or plan.default_seats
    return Limits(plan=plan, seats=seats)
