"""Limits where they bite: integrations on the free plan, and the read-only rule after the grace
period of an overdue payment (reads, can-i-deploy and pacts-for-verification keep working)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.limits import IntegrationLimitExceeded, organisation_is_read_only
from billing.models import BillingAccount
from tenants.models import Tenant
from tests.billing.conftest import integrations, publish


def overdue(org, *, days: float):
    BillingAccount.objects.update_or_create(
        tenant=org.tenant,
        defaults={
            "status": "past_due",
            "stripe_subscription_id": "sub_1",
            "past_due_since": timezone.now() - timedelta(days=days),
        },
    )


@pytest.mark.django_db
def test_publishing_a_sixth_integration_on_the_free_plan_is_refused_and_writes_nothing(acme):
    from django_tenants.utils import schema_context

    from apps.contracts.models import Pacticipant

    for index in range(5):
        publish(acme, f"consumer-{index}", "provider")

    with pytest.raises(IntegrationLimitExceeded) as refused:
        publish(acme, "new-consumer", "provider")

    assert refused.value.status_code == 402
    assert "allows 5 integrations" in refused.value.body["error"]
    assert integrations(acme) == 5
    with schema_context(acme.schema):
        assert not Pacticipant.objects.filter(name="new-consumer").exists()


@pytest.mark.django_db
def test_publishing_again_for_an_existing_integration_at_the_limit_is_fine(acme):
    for index in range(5):
        publish(acme, f"consumer-{index}", "provider")

    publish(acme, "consumer-3", "provider")

    assert integrations(acme) == 5


@pytest.mark.django_db
def test_another_organisations_integrations_do_not_count(acme, outsider):
    for index in range(5):
        publish(outsider, f"consumer-{index}", "provider")

    publish(acme, "consumer-0", "provider")

    assert integrations(acme) == 1


@pytest.mark.django_db
def test_a_paid_plan_has_no_integration_limit(acme):
    Tenant.objects.filter(pk=acme.tenant.pk).update(plan="team", seats=5)

    for index in range(7):
        publish(acme, f"consumer-{index}", "provider")

    assert integrations(acme) == 7


@pytest.mark.django_db
def test_an_organisation_within_the_grace_period_can_still_write(acme):
    overdue(acme, days=6)

    assert not organisation_is_read_only(acme.tenant)
    assert acme.client().post("/no-such-write", data="{}", content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_after_the_grace_period_api_writes_are_refused_with_a_clear_message(acme, outsider):
    overdue(acme, days=8)

    response = acme.client().post("/pacticipants", data="{}", content_type="application/json")

    assert organisation_is_read_only(acme.tenant)
    assert response.status_code == 402
    assert "read-only" in response.json()["error"]
    assert not organisation_is_read_only(outsider.tenant)
    assert outsider.client().post("/pacticipants", data="{}", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_a_read_only_organisation_still_answers_reads_and_pacts_for_verification(acme):
    overdue(acme, days=30)
    client = acme.client()

    assert client.get("/can-i-deploy?pacticipant=a&version=1&to=prod").status_code == 400
    assert client.get("/").status_code == 200
    for_verification = client.post(
        "/pacts/provider/Bar%2FBaz/for-verification", data="{}", content_type="application/json"
    )
    assert for_verification.status_code == 404


@pytest.mark.django_db
def test_a_read_only_organisation_refuses_ui_writes_with_a_page(acme):
    overdue(acme, days=30)

    response = acme.browser().post("/settings/users", HTTP_ACCEPT="text/html")

    assert response.status_code == 402
    assert b"read-only" in response.content


@pytest.mark.django_db
def test_an_admin_of_a_read_only_organisation_can_still_sign_in_and_reach_billing(acme):
    overdue(acme, days=30)
    browser = acme.browser()

    signed_in = browser.post("/login", {"username": acme.admin.email, "password": "correct-horse-battery"})
    assert signed_in.status_code == 302
    assert browser.get("/settings/subscription").status_code == 200
    assert browser.post("/settings/subscription/portal").status_code == 400


@pytest.mark.django_db
def test_unpaid_is_read_only_after_the_grace_period_too(acme):
    overdue(acme, days=8)
    BillingAccount.objects.filter(tenant=acme.tenant).update(status="unpaid")

    assert organisation_is_read_only(acme.tenant)


@pytest.mark.django_db
def test_the_grace_period_is_a_setting(acme, settings):
    overdue(acme, days=2)
    settings.BILLING_GRACE_DAYS = 1

    assert organisation_is_read_only(acme.tenant)
