"""Writes an operator makes from the command line (`manage.py org_*`), each audited on the platform side.

Organisations are created with the same provisioning as sign-up (`tenant_provision`: a spare or
cloned schema, the domain, one transaction); the first administrator is invited with the same
invitation as an administrator's "add person" (`user_invite`), so they choose their own password
and no password ever passes through a terminal. Plans are set with the platform admin's
`plan_set_by_hand`. Each write records an `organisation.*` entry in the public schema's audit log
(the platform's own, beside the organisations' logs) naming the operator.
"""

import getpass
import os
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, get_tenant_base_schema, schema_context, schema_exists

from apps.accounts import permissions
from apps.accounts.audit import audit_record
from apps.accounts.services.invitations import user_invite
from apps.accounts.services.tokens import token_create
from apps.accounts.services.users import builtin_role
from billing.plans import PLANS
from tenants import placement, queries
from tenants.models import Tenant
from tenants.services import dedicated_schema_guard, tenant_host, tenant_provision
from tenants.slugs import schema_name_for_slug, slug_problem


class OperationError(Exception):
    """An operator's request refused, with what to do instead."""


@dataclass(frozen=True)
class Operator:
    """Who ran the command: `--operator`, else BROKER_OPERATOR, else the login name."""

    name: str

    @property
    def email(self) -> str:  # what audit entries show as the actor
        return f"operator:{self.name}"

    @classmethod
    def current(cls, name: str | None = None) -> "Operator":
        return cls(name or os.environ.get("BROKER_OPERATOR") or getpass.getuser())


@dataclass
class Created:
    tenant: Tenant
    invitation_url: str
    token: str | None


# The platform's rows (organisations, billing, the platform audit log) live in the public schema: every
# operation below says so with `schema_context`, whatever schema the connection was left in.
def platform_audit(*, operator: Operator, action: str, tenant: Tenant, details: dict | None = None) -> None:
    """An audit entry in the public schema (the platform's log), inside the caller's transaction."""
    with schema_context(get_public_schema_name()):
        audit_record(
            actor=operator,
            action=action,
            target=("organisation", tenant.pk, tenant.slug),
            details={"operator": operator.name, **(details or {})},
        )


def _tenant(slug: str) -> Tenant:
    with schema_context(get_public_schema_name()):
        tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        raise OperationError(f"There is no organisation {slug!r}.")
    return tenant


def _plan(plan_slug: str):
    plan = PLANS.get(plan_slug)
    if plan is None:
        raise OperationError(f"Unknown plan {plan_slug!r}: one of {', '.join(PLANS)}.")
    return plan


def organisation_create(
    *,
    slug: str,
    name: str,
    plan: str,
    admin_email: str,
    operator: Operator,
    with_token: bool = False,
    seats: int | None = None,
    database: str = placement.PLATFORM,
) -> Created:
    """An organisation on `plan` (e.g. an enterprise customer on invoice, or a test environment),
    its administrator invited by email, and optionally a read-write API token of that administrator.
    `database` places it on a dedicated database server (tenants/placement.py)."""
    slug, admin_email = slug.strip().lower(), admin_email.strip().lower()
    plan_row = _plan(plan)
    try:
        database = placement.server_check(database)
    except placement.PlacementError as exc:
        raise OperationError(str(exc)) from exc
    problem = slug_problem(slug)
    if problem:
        raise OperationError(problem)
    if queries.slug_is_taken(slug) or schema_exists(schema_name_for_slug(slug)):
        raise OperationError(f"The slug {slug!r} is already taken.")
    if not name.strip():
        raise OperationError("Give the organisation a name.")
    if "@" not in admin_email:
        raise OperationError("Give the administrator's email address.")
    with dedicated_schema_guard(database=database, schema_name=schema_name_for_slug(slug)), transaction.atomic():
        tenant = tenant_provision(name=name.strip(), slug=slug, database=database)
        tenant.plan, tenant.seats = plan_row.slug, seats or plan_row.default_seats
        tenant.save(update_fields=["plan", "seats"])
        with schema_context(tenant.schema_name):
            connection.tenant = tenant  # the invitation names the organisation
            admin, url = user_invite(
                actor=None,
                email=admin_email,
                base_url=f"https://{tenant_host(tenant)}",
                roles=[builtin_role(permissions.ADMINISTRATOR)],
            )
            secret = None
            if with_token:
                _, secret = token_create(user=admin, name="operator", read_only=False)
        platform_audit(
            operator=operator,
            action="organisation.created",
            tenant=tenant,
            details={
                "plan": tenant.plan,
                "seats": tenant.seats,
                "admin_email": admin_email,
                "token_created": with_token,
                "database": database,
            },
        )
    return Created(tenant=tenant, invitation_url=url, token=secret)


def organisation_plan_set(
    *, slug: str, plan: str, operator: Operator, seats: int | None = None, follow_stripe: bool = False
) -> Tenant:
    from billing.services import BillingError, plan_set_by_hand

    tenant = _tenant(slug)
    plan_row = _plan(plan)
    before = {"plan": tenant.plan, "seats": tenant.seats}
    with schema_context(get_public_schema_name()), transaction.atomic():
        try:
            plan_set_by_hand(
                tenant=tenant,
                staff=operator,
                plan_slug=plan_row.slug,
                seats=seats or max(tenant.seats, plan_row.default_seats),
                follow_stripe=follow_stripe,
            )
        except BillingError as exc:
            raise OperationError(exc.message) from exc
        platform_audit(
            operator=operator,
            action="organisation.plan_set",
            tenant=tenant,
            details={"plan": tenant.plan, "seats": tenant.seats, "previous": before},
        )
    return tenant


def organisation_suspend(*, slug: str, reason: str, operator: Operator) -> Tenant:
    """Refuse every request to the organisation (423) until resumed. Nothing is deleted."""
    if not reason.strip():
        raise OperationError("Give the reason for the suspension (it goes to the audit log).")
    tenant = _tenant(slug)
    if tenant.suspended_at is not None:
        raise OperationError(f"{slug} has been suspended since {tenant.suspended_at:%Y-%m-%d %H:%M} UTC.")
    with schema_context(get_public_schema_name()), transaction.atomic():
        tenant.suspended_at, tenant.suspension_reason = timezone.now(), reason.strip()[:200]
        tenant.save(update_fields=["suspended_at", "suspension_reason"])
        platform_audit(
            operator=operator,
            action="organisation.suspended",
            tenant=tenant,
            details={"reason": tenant.suspension_reason},
        )
    return tenant


def organisation_resume(*, slug: str, operator: Operator) -> Tenant:
    tenant = _tenant(slug)
    if tenant.suspended_at is None:
        raise OperationError(f"{slug} is not suspended.")
    with schema_context(get_public_schema_name()), transaction.atomic():
        since = tenant.suspended_at
        tenant.suspended_at, tenant.suspension_reason = None, ""
        tenant.save(update_fields=["suspended_at", "suspension_reason"])
        platform_audit(
            operator=operator,
            action="organisation.resumed",
            tenant=tenant,
            details={"suspended_since": since.isoformat()},
        )
    return tenant


def organisations_overview() -> list[dict]:
    """Every organisation with plan, seats, state and the size of its schema on disk (bytes)."""
    with schema_context(get_public_schema_name()):
        tenants = list(
            Tenant.objects.exclude(schema_name__in=[get_public_schema_name(), get_tenant_base_schema()]).order_by(
                "slug"
            )
        )
    sizes = {}
    for alias in placement.servers():
        with placement.organisation_server(alias):
            sizes.update(schema_sizes([tenant.schema_name for tenant in tenants if tenant.database == alias]))
    return [
        {
            "slug": tenant.slug,
            "name": tenant.name,
            "schema": tenant.schema_name,
            "plan": tenant.plan,
            "seats": tenant.seats,
            "state": "suspended" if tenant.suspended_at else "active",
            "size_bytes": sizes.get(tenant.schema_name, 0),
            "database": tenant.database,
            "created_at": tenant.created_at.isoformat(),
        }
        for tenant in tenants
    ]


def schema_sizes(schemas: list[str]) -> dict[str, int]:
    """Bytes on disk of each schema's tables, indexes and TOAST, in one catalogue query."""
    if not schemas:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname = ANY(%s) GROUP BY n.nspname",
            [schemas],
        )
        return {name: int(size) for name, size in cursor.fetchall()}
