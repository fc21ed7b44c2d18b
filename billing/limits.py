"""Plan limits where they bite, for the other apps to call.

- `integration_limit_check(tenant=..., consumer_name=..., provider_name=...)`: call inside the
  publishing transaction, before writing, when a pact is published. Raises
  `IntegrationLimitExceeded` (HTTP 402, `{"error": "..."}`) when the pair would be a new
  integration beyond the plan's limit. An existing integration is always fine.
- `organisation_is_read_only(tenant)`: past due for longer than BILLING_GRACE_DAYS. The
  `ReadOnlyOrganisationMiddleware` applies it to every tenant request; reads, can-i-deploy and
  pacts-for-verification keep working and nothing is ever deleted.

The integrations themselves are the contracts app's, which stands above billing: it registers how
to count them (`integrations_counter_register`) from its AppConfig.ready(), so billing never
imports it (docs/architecture.md, "Dependencies run one way").

402 Payment Required is used for both: the request is fine, the plan or the payment is not (a 403
would read as "you lack a role", which sends people to the wrong admin).
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework import status

from apps.core.errors import BrokerError
from billing.plans import limits_for

PAYMENT_REQUIRED = status.HTTP_402_PAYMENT_REQUIRED


class PlanLimitExceeded(BrokerError):
    """A plan limit would be exceeded: 402 with the broker's `{"error": message}` body."""

    status_code = PAYMENT_REQUIRED

    def __init__(self, message: str):
        super().__init__({"error": message})
        self.message = message


class IntegrationLimitExceeded(PlanLimitExceeded):
    pass


_integrations_count = None
_integrations_existing = None


def integrations_counter_register(*, count, existing) -> None:
    """The contracts app says how to count its integrations in the current schema: `count() -> int`,
    and `existing(consumer_name=, provider_names=) -> set` of those providers the consumer already
    has an integration with."""
    global _integrations_count, _integrations_existing
    _integrations_count, _integrations_existing = count, existing


def _counter_check() -> None:
    if _integrations_count is None or _integrations_existing is None:
        raise RuntimeError("No integration counter is registered (apps.contracts registers it when Django starts).")


def integration_count() -> int:
    """Integrations in the current schema."""
    _counter_check()
    return _integrations_count()


def integration_limit_check(*, tenant, consumer_name: str, provider_name: str) -> None:
    """Refuse a publication that would create an integration beyond the plan's limit."""
    integration_limits_check(tenant=tenant, consumer_name=consumer_name, provider_names=[provider_name])


def integration_limits_check(*, tenant, consumer_name: str, provider_names) -> None:
    """Refuse a publication (of one or more pacts) that would create integrations beyond the plan's
    limit. Call it in the current (tenant) schema, inside the publishing transaction, before writing.

    One query finds which of the pairs are new; only when some are (and the plan has a limit) does
    it take a transaction-scoped advisory lock per organisation, so that two concurrent
    publications cannot both create the last allowed integration, and count.
    """
    limit = limits_for(tenant).integrations
    if limit is None:
        return
    _counter_check()
    wanted = set(provider_names)
    existing = _integrations_existing(consumer_name=consumer_name, provider_names=wanted)
    new = sorted(wanted - existing)
    if not new:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:integrations"])
    used = integration_count()
    if used + len(new) > limit:
        plan = limits_for(tenant).plan
        pairs = ", ".join(f"{consumer_name} → {provider}" for provider in new)
        raise IntegrationLimitExceeded(
            f"Publishing this pact would create a new integration ({pairs}), "
            f"but the {plan.name} plan allows {limit} integrations and this organisation has {used}. "
            "Upgrade the plan under Settings > Subscription, or publish for an existing integration."
        )


def grace_period() -> timedelta:
    return timedelta(days=settings.BILLING_GRACE_DAYS)


def read_only_since(tenant):
    """When the organisation became (or will become) read-only, or None if it is in good standing."""
    from billing.models import OVERDUE_STATUSES, BillingAccount

    if tenant is None or getattr(tenant, "pk", None) is None or settings.SINGLE_TENANT:
        return None
    account = BillingAccount.objects.filter(tenant_id=tenant.pk).only("status", "past_due_since").first()
    if account is None or account.status not in OVERDUE_STATUSES or account.past_due_since is None:
        return None
    return account.past_due_since + grace_period()


def organisation_is_read_only(tenant) -> bool:
    """Past due for longer than the grace period: reads only until the payment is made."""
    since = read_only_since(tenant)
    return since is not None and since <= timezone.now()


READ_ONLY_MESSAGE = (
    "This organisation is read-only because its subscription payment is overdue. Reads and "
    "can-i-deploy keep working and nothing has been deleted; an administrator can pay under "
    "Settings > Subscription to restore writes."
)


def seats_in_use(tenant, seat_type: str = "editor") -> int:
    """Seats of one type (the bought Editor seats unless told) held in the organisation's schema:
    active people, pending invitations included; not system accounts, and not someone whose only
    role is Organization Administrator (apps.accounts.queries.seat_holders)."""
    from apps.accounts.queries import seats_used

    with schema_context(tenant.schema_name):
        return seats_used(seat_type)
