"""Plans as data: limits per plan, prices from settings, unknown plans read as the free one."""

from types import SimpleNamespace

from billing.plans import PLANS, limits_for, plan_for_price


def test_the_free_plan_allows_two_seats_and_five_integrations():
    limits = limits_for(SimpleNamespace(plan="developer", seats=2))

    assert (limits.seats, limits.integrations, limits.system_accounts) == (2, 5, 0)
    assert limits.plan.is_free and not limits.secrets


def test_paid_plans_have_unlimited_integrations_and_saml_from_business_up():
    assert limits_for(SimpleNamespace(plan="team", seats=5)).integrations is None
    assert "saml" not in PLANS["team"].sso_modes
    assert "saml" in PLANS["business"].sso_modes and "saml" in PLANS["enterprise"].sso_modes


def test_an_unknown_plan_reads_as_the_free_plan_never_as_more():
    assert limits_for(SimpleNamespace(plan="platinum", seats=3)).plan.slug == "developer"


def test_seats_come_from_the_organisation_not_the_plan():
    assert limits_for(SimpleNamespace(plan="team", seats=12)).seats == 12


def test_prices_come_from_settings_and_map_back_to_their_plan(settings):
    settings.STRIPE_PRICE_TEAM = "price_abc"
    settings.STRIPE_PRICE_ENTERPRISE_ANNUAL = "price_ent_year"

    assert PLANS["team"].price_id() == "price_abc"
    assert plan_for_price("price_abc") == (PLANS["team"], False)
    assert plan_for_price("price_ent_year") == (PLANS["enterprise"], True)
    assert plan_for_price("price_someone_elses") is None
    assert PLANS["developer"].price_id() is None
