"""Removing a person erases their personal data and keeps the audit trail under a pseudonym."""

import pytest
from django.test import RequestFactory
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.audit import audit_record
from apps.accounts.models import AuditEvent, User
from apps.accounts.services.erasure import pseudonym_for


@pytest.mark.django_db
def test_a_removed_persons_audit_trail_stays_under_a_pseudonym_without_their_email_name_or_address(acme, outsider):
    with schema_context(outsider.schema):
        other = services.user_create(email="carol@example.org", name="Carol Jones", password="correct-horse-battery")
        audit_record(actor=other, action="outsider.thing")
    with schema_context(acme.schema):
        carol = services.user_create(email="carol@example.org", name="Carol Jones", password="correct-horse-battery")
        services.user_update(actor=acme.admin, user=carol, name="Carol J. Jones")
        request = RequestFactory().post("/x", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
        audit_record(
            actor=carol,
            action="pact.published",
            target="Billing UI",
            details={"by": "carol@example.org"},
            request=request,
        )
        pseudonym = pseudonym_for(carol)
        before = AuditEvent.objects.count()

        services.user_remove(actor=acme.admin, user=carol)

        assert not User.objects.filter(email="carol@example.org").exists()
        assert AuditEvent.objects.count() == before + 1  # nothing lost, the removal recorded
        dumped = str(list(AuditEvent.objects.values()))
        assert "carol@example.org" not in dumped and "Carol" not in dumped and "192.0.2.7" not in dumped
        own = AuditEvent.objects.get(action="pact.published")
        assert own.actor_email == pseudonym and own.details == {"by": pseudonym} and own.user_agent == ""
        removed = AuditEvent.objects.get(action="user.removed")
        assert removed.target_label == pseudonym and removed.actor_email == acme.admin.email
        assert pseudonym.startswith("person-") and len(pseudonym) == len("person-") + 12
    with schema_context(outsider.schema):  # the same email in another organisation is someone else
        assert AuditEvent.objects.get(action="outsider.thing").actor_email == "carol@example.org"
