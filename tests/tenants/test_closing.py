"""Closing an organisation: an administrator confirms with the slug, the organisation is read-only for a
grace period (reopenable), then its data is deleted and the platform keeps a record without personal data."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from apps.accounts.models import AuditEvent
from apps.accounts.permissions import Perm
from tenants.closing import ClosingError, closed_organisations_delete, organisation_close_request
from tenants.models import ClosedOrganisation, Domain, Tenant
from tenants.operations import Operator, organisation_create
from tests.accounts.conftest import member_create
from tests.support import factories
from tests.ui.conftest import signed_in

PACT_PATH = "/pacts/provider/API/consumer/Web/version/1.0.0"


def _pact():
    return factories.pact_content("Web", "API")


def test_an_administrator_closes_the_organisation_by_typing_its_slug_and_writes_are_refused(acme, outsider, settings):
    settings.ORGANISATION_CLOSE_GRACE_DAYS = 14
    admin = signed_in(acme, acme.admin)
    wrong = admin.post("/settings/organisation/close", {"confirmation": "acm"})
    assert wrong.status_code == 400
    assert "Type the organisation&#x27;s slug, acme, to confirm." in wrong.content.decode()
    assert Tenant.objects.get(slug="acme").closing_requested_at is None

    response = admin.post("/settings/organisation/close", {"confirmation": "acme"})
    assert response.status_code == 302
    tenant = Tenant.objects.get(slug="acme")
    assert tenant.closing_deletes_at - tenant.closing_requested_at == timedelta(days=14)

    # Writes: 423 in the broker's error shape; reads still work.
    refused = acme.client().put(PACT_PATH, _pact(), content_type="application/json")
    assert refused.status_code == 423
    assert refused.json() == {
        "error": f"This organisation is closing: it is read-only until its data is deleted on "
        f"{tenant.closing_deletes_at:%Y-%m-%d}. An administrator can reopen it in Settings > Organisation."
    }
    assert acme.client().get("/pacticipants").status_code == 200
    page = admin.post("/settings/secrets", {"name": "X", "value": "y"})
    assert page.status_code == 423 and "Organisation closing" in page.content.decode()
    # Signing in (and out) still works, to reopen or export.
    signing_in = acme.browser().post("/login", {"username": acme.admin.email, "password": "correct-horse-battery"})
    assert signing_in.status_code == 302
    assert admin.post("/settings/data/export").status_code == 302
    # The outsider is not affected.
    assert outsider.client().put(PACT_PATH, _pact(), content_type="application/json").status_code == 201


def test_an_administrator_reopens_a_closing_organisation(acme):
    admin = signed_in(acme, acme.admin)
    admin.post("/settings/organisation/close", {"confirmation": "acme"})
    assert admin.get("/settings/organisation").status_code == 200
    assert admin.post("/settings/organisation/reopen").status_code == 302
    assert Tenant.objects.get(slug="acme").closing_requested_at is None
    assert acme.client().put(PACT_PATH, _pact(), content_type="application/json").status_code == 201
    assert admin.post("/settings/organisation/reopen").status_code == 400  # not closing any more


def test_someone_without_the_settings_permission_cannot_close_or_reopen(acme, outsider):
    member = member_create(acme, email="dev@acme.example", roles=["user"])
    browser = signed_in(acme, member.user)
    assert browser.post("/settings/organisation/close", {"confirmation": "acme"}).status_code == 403
    assert browser.get("/settings/organisation").status_code == 403
    assert Tenant.objects.get(slug="acme").closing_requested_at is None
    # An administrator of another organisation is nobody here.
    stranger = signed_in(outsider, outsider.admin)
    refused = stranger.post("/settings/organisation/close", {"confirmation": "acme"}, HTTP_HOST=acme.host)
    assert refused.status_code == 302 and refused["Location"].startswith("/login")
    assert Tenant.objects.get(slug="acme").closing_requested_at is None


def test_after_the_grace_period_the_data_is_deleted_and_the_platform_keeps_a_record_without_personal_data(
    acme, outsider
):
    created = organisation_create(
        slug="leaving", name="Leaving Ltd", plan="team", admin_email="boss@leaving.example", operator=Operator("ops")
    )
    tenant = created.tenant
    with schema_context(tenant.schema_name):
        factories.pact_publish("Web", "1.0.0", "API")
    organisation_close_request(tenant=tenant, actor=None, confirmation="leaving")
    assert closed_organisations_delete() == []  # still in its grace period
    Tenant.objects.filter(pk=tenant.pk).update(closing_deletes_at=timezone.now() - timedelta(minutes=1))

    assert closed_organisations_delete() == ["leaving"]

    assert not Tenant.objects.filter(slug="leaving").exists()
    assert not Domain.objects.filter(tenant_id=tenant.pk).exists()
    assert not schema_exists(tenant.schema_name)
    record = ClosedOrganisation.objects.get(slug="leaving")
    assert record.plan == "team" and record.organisation_id == tenant.pk
    entries = AuditEvent.objects.filter(target_type="organisation", target_id=str(tenant.pk))
    assert {e.action for e in entries} >= {
        "organisation.created",
        "organisation.close_requested",
        "organisation.deleted",
    }
    assert not any("boss@leaving.example" in str(e.details) + e.actor_email for e in entries)
    # The others are untouched.
    assert Tenant.objects.filter(slug__in=["acme", "globex"]).count() == 2
    assert schema_exists(acme.schema)


def test_closing_twice_is_refused(acme):
    organisation_close_request(tenant=acme.tenant, actor=None, confirmation="acme")
    with pytest.raises(ClosingError, match="already closing"):
        organisation_close_request(tenant=acme.tenant, actor=None, confirmation="acme")


def test_the_settings_pages_of_a_closing_organisation_offer_the_export(acme):
    admin = signed_in(acme, acme.admin)
    admin.post("/settings/organisation/close", {"confirmation": "acme"})
    page = admin.get("/settings/organisation").content.decode()
    assert "This organisation is closing" in page and "/settings/data" in page
    assert Perm.SYSTEM_PREFERENCE_MANAGE  # the gate the pages use


def test_a_self_hosted_broker_cannot_be_closed_from_its_settings(acme, settings):
    settings.SINGLE_TENANT = True
    with pytest.raises(ClosingError, match="A self-hosted broker is not closed from its settings"):
        organisation_close_request(tenant=acme.tenant, actor=None, confirmation="acme")
    assert Tenant.objects.get(slug="acme").closing_requested_at is None
