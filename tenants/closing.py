"""Closing an organisation: asked by an administrator, read-only for a grace period, then deleted.

1. `organisation_close_request`: an administrator confirms by typing the slug. The organisation goes
   read-only at once (tenants/middleware.py answers every write 423, except signing in and out,
   reopening, and asking for an export, so people can still take their data with them) for
   ORGANISATION_CLOSE_GRACE_DAYS days.
2. `organisation_close_cancel`: an administrator reopens it during the grace period.
3. `closed_organisations_delete` (beat task `tenants.closed_delete`, hourly): for every organisation
   whose grace period is over, `organisation_delete` cancels the Stripe subscription (through
   billing/stripe_api.py; if Stripe fails nothing is deleted and the next run retries, so a customer
   is never charged for a deleted organisation), removes its files (export archives), then in one
   transaction drops its schema (people, tokens, audit log, contracts: everything) with its domains
   and billing account, removes email addresses from the platform audit entries about it, and
   records a ClosedOrganisation row and a platform audit entry that name no person.
"""

import logging
import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from apps.accounts.audit import audit_record
from apps.accounts.models import AuditEvent
from billing import stripe_api
from billing.models import BillingAccount
from tenants.models import ClosedOrganisation, Tenant

logger = logging.getLogger(__name__)


class ClosingError(Exception):
    """A request refused, with a message for the person who made it."""


class _Role:
    """The platform audit log's actor for an organisation's administrator: a role, never a person."""

    email = "organisation-administrator"


def _public():
    return schema_context(get_public_schema_name())


def _platform_audit(*, action: str, tenant: Tenant, details: dict) -> None:
    with _public():
        audit_record(actor=_Role(), action=action, target=("organisation", tenant.pk, tenant.slug), details=details)


def organisation_close_request(*, tenant: Tenant, actor, confirmation: str) -> Tenant:
    """Start the grace period; `confirmation` must be the organisation's slug, typed."""
    if settings.SINGLE_TENANT:
        raise ClosingError(
            "A self-hosted broker is not closed from its settings: its operator removes the installation."
        )
    if tenant.closing_requested_at is not None:
        raise ClosingError(
            f"This organisation is already closing; its data is deleted on {tenant.closing_deletes_at:%Y-%m-%d}."
        )
    if (confirmation or "").strip() != tenant.slug:
        raise ClosingError(f"Type the organisation's slug, {tenant.slug}, to confirm.")
    now = timezone.now()
    with transaction.atomic():
        tenant.closing_requested_at = now
        tenant.closing_deletes_at = now + timedelta(days=settings.ORGANISATION_CLOSE_GRACE_DAYS)
        with _public():
            tenant.save(update_fields=["closing_requested_at", "closing_deletes_at"])
        audit_record(
            actor=actor,
            action="organisation.close_requested",
            target=("organisation", tenant.pk, tenant.slug),
            details={"deletes_at": tenant.closing_deletes_at.isoformat()},
        )
        _platform_audit(
            action="organisation.close_requested",
            tenant=tenant,
            details={"deletes_at": tenant.closing_deletes_at.isoformat()},
        )
    return tenant


def organisation_close_cancel(*, tenant: Tenant, actor) -> Tenant:
    if tenant.closing_requested_at is None:
        raise ClosingError("This organisation is not closing.")
    with transaction.atomic():
        tenant.closing_requested_at = tenant.closing_deletes_at = None
        with _public():
            tenant.save(update_fields=["closing_requested_at", "closing_deletes_at"])
        audit_record(
            actor=actor, action="organisation.close_cancelled", target=("organisation", tenant.pk, tenant.slug)
        )
        _platform_audit(action="organisation.close_cancelled", tenant=tenant, details={})
    return tenant


def _subscription_cancel(tenant: Tenant) -> bool:
    account = BillingAccount.objects.filter(tenant=tenant).first()
    if account is None or not account.has_live_subscription:
        return False
    stripe_api.subscription_cancel(subscription_id=account.stripe_subscription_id, operation=f"close-{tenant.pk}")
    return True


def _scrub_platform_audit(tenant: Tenant) -> None:
    """Email addresses out of the platform's entries about the organisation (e.g. `admin_email`)."""
    for event in AuditEvent.objects.filter(target_type="organisation", target_id=str(tenant.pk)):
        details = {key: value for key, value in (event.details or {}).items() if "email" not in key}
        if details != event.details:
            event.details = details
            event.save(update_fields=["details"])


def organisation_delete(*, tenant: Tenant) -> ClosedOrganisation:
    """Delete everything of a closed organisation (see the module's docstring for the order)."""
    with _public():
        cancelled = _subscription_cancel(tenant)
        shutil.rmtree(Path(settings.ORGANISATION_EXPORT_DIR) / tenant.schema_name, ignore_errors=True)
        with transaction.atomic():
            record = ClosedOrganisation.objects.create(
                organisation_id=tenant.pk,
                slug=tenant.slug,
                schema_name=tenant.schema_name,
                plan=tenant.plan,
                created_at=tenant.created_at,
                close_requested_at=tenant.closing_requested_at or timezone.now(),
                subscription_cancelled=cancelled,
            )
            _scrub_platform_audit(tenant)
            _platform_audit(action="organisation.deleted", tenant=tenant, details={"subscription_cancelled": cancelled})
            tenant.delete(force_drop=True)
    logger.info("closed organisation deleted", extra={"organisation": record.slug})
    return record


def closed_organisations_delete() -> list[str]:
    """Delete every organisation whose grace period is over; each on its own. Returns their slugs."""
    with _public():
        due = list(Tenant.objects.filter(closing_deletes_at__lte=timezone.now()).order_by("closing_deletes_at"))
    deleted = []
    for tenant in due:
        try:
            deleted.append(organisation_delete(tenant=tenant).slug)
        except stripe_api.StripeError:  # nothing deleted: retried on the next run
            logger.warning("closing %s: Stripe refused the cancellation; retrying later", tenant.slug, exc_info=True)
    return deleted
