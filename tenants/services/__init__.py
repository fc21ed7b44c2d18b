"""Writes on organisations: provisioning, sign-up and its confirmation."""

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from apps.accounts import services as account_services
from apps.accounts.models import User
from tenants import placement, queries
from tenants.models import Domain, Tenant
from tenants.slugs import schema_name_for_slug, slug_problem

logger = logging.getLogger(__name__)

CONFIRMATION_SALT = "signup-confirmation"


class SignupError(Exception):
    """A sign-up refused for a reason the person can fix; `field` names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Signup:
    tenant: Tenant
    admin: User
    confirmation_url: str


def tenant_host(tenant: Tenant) -> str:
    return f"{tenant.slug}.{settings.BASE_DOMAIN}"


def tenant_provision(
    *,
    name: str,
    slug: str,
    domain: str | None = None,
    schema_name: str | None = None,
    awaiting_confirmation: bool = False,
    database: str = placement.PLATFORM,
) -> Tenant:
    """Create an organisation with its schema (cloned from the template) and its domain.

    Runs in one transaction: PostgreSQL DDL is transactional, so a failure anywhere leaves no
    tenant row, no domain and no schema. Only a sign-up passes `awaiting_confirmation`: such an
    organisation is removed if its administrator never confirms (`unconfirmed_organisations_remove`).

    `database` places it on a dedicated server (tenants/placement.py): its schema is then made there
    in that server's own transaction; callers wrap their work in `dedicated_schema_guard` so that a
    failure of the platform's transaction drops that schema again.
    """
    database = placement.server_check(database)
    connection.set_schema_to_public()
    with transaction.atomic():
        tenant = Tenant(
            name=name,
            slug=slug,
            schema_name=schema_name or schema_name_for_slug(slug),
            awaiting_confirmation=awaiting_confirmation,
            database=database,
        )
        tenant.save(verbosity=0)
        host = domain or tenant_host(tenant)
        Domain.objects.create(domain=host, tenant=tenant, is_primary=True)
        if settings.TENANT_SPARE_SCHEMAS:
            transaction.on_commit(_spares_refill)
    return tenant


@contextmanager
def dedicated_schema_guard(*, database: str, schema_name: str):
    """Around provisioning on a dedicated server: if the block fails, the schema already committed
    on that server is dropped, unless an organisation row (on the platform) names it."""
    try:
        yield
    except BaseException:
        if database != placement.PLATFORM:
            orphan_schema_drop(database=database, schema_name=schema_name)
        raise


def orphan_schema_drop(*, database: str, schema_name: str) -> bool:
    """Drop `schema_name` on a dedicated server if no organisation row names it (on any server: an
    organisation being moved there has its copy on that server before its row says so)."""
    if Tenant.objects.filter(schema_name=schema_name).exists():
        return False
    with placement.organisation_server(database), connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
    return True


# tenants/tasks.py runs this module's writes, so the task is named here, not imported (one way).
SPARES_FILL_TASK = "tenants.spares_fill"


def _spares_refill() -> None:
    """Queue the clone that replaces a spare just taken (beat would also do it within a minute)."""
    try:
        current_app.signature(SPARES_FILL_TASK).delay()
    except Exception:  # the message broker is down: beat refills the pool later
        logger.warning("could not queue tenants.spares_fill", exc_info=True)


def signup_validate(*, slug: str, email: str, password: str, org_name: str) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if not org_name.strip():
        raise SignupError("org_name", "Please give your organisation a name.")
    problem = slug_problem(slug)
    if problem:
        raise SignupError("slug", problem)
    if queries.slug_is_taken(slug) or schema_exists(schema_name_for_slug(slug)):
        raise SignupError("slug", f"The subdomain “{slug}” is already taken.")
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        raise SignupError("password", " ".join(exc.messages)) from exc


def organisation_signup(
    *, org_name: str, slug: str, admin_name: str, email: str, password: str, scheme: str = "https", port: str = ""
) -> Signup:
    """Create an organisation and its first administrator, then email a confirmation link.

    Everything is one transaction (tenant row, cloned schema, domain, admin user): a failure at
    any step leaves nothing behind. The email goes out only after the commit.
    """
    slug = slug.strip().lower()
    email = email.strip().lower()
    signup_validate(slug=slug, email=email, password=password, org_name=org_name)
    with transaction.atomic():
        tenant = tenant_provision(name=org_name.strip(), slug=slug, awaiting_confirmation=True)
        with schema_context(tenant.schema_name):
            admin = account_services.user_create(email=email, name=admin_name.strip(), password=password, is_admin=True)
    url = confirmation_url(tenant=tenant, user=admin, scheme=scheme, port=port)
    transaction.on_commit(lambda: confirmation_email_send(tenant=tenant, user=admin, url=url))
    logger.info("organisation signed up", extra={"organisation": tenant.slug})
    return Signup(tenant=tenant, admin=admin, confirmation_url=url)


def confirmation_token(*, tenant: Tenant, user: User) -> str:
    return signing.dumps({"t": tenant.schema_name, "u": user.pk, "e": user.email}, salt=CONFIRMATION_SALT)


def confirmation_url(*, tenant: Tenant, user: User, scheme: str, port: str) -> str:
    host = tenant_host(tenant) + (f":{port}" if port and port not in ("80", "443") else "")
    return f"{scheme}://{host}/confirm/{confirmation_token(tenant=tenant, user=user)}"


def confirmation_email_send(*, tenant: Tenant, user: User, url: str) -> None:
    body = render_to_string("accounts/email/confirm_signup.txt", {"organisation": tenant, "user": user, "url": url})
    send_mail(
        subject=f"Confirm your {tenant.name} contract broker account",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


class ConfirmationError(Exception):
    pass


def signup_confirm(*, token: str, schema_name: str) -> User:
    """Confirm the admin's email from a signed link. The link only works on its own tenant."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=settings.SIGNUP_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConfirmationError("This confirmation link has expired.") from exc
    except signing.BadSignature as exc:
        raise ConfirmationError("This confirmation link is not valid.") from exc
    if data.get("t") != schema_name:
        raise ConfirmationError("This confirmation link is not valid.")
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise ConfirmationError("This confirmation link is not valid.")
    with transaction.atomic():
        user = account_services.user_confirm_email(user=user)
        Tenant.objects.filter(schema_name=schema_name, awaiting_confirmation=True).update(awaiting_confirmation=False)
    return user


def unconfirmed_organisations_remove() -> list[str]:
    """Remove organisations signed up more than SIGNUP_UNCONFIRMED_REMOVE_AFTER ago whose administrator
    never confirmed: their schema, domain and row. Returns the removed slugs.

    Abandoned or abusive sign-ups would otherwise hold their subdomain and a schema for ever. An
    organisation in which any user has confirmed an email or signed in (e.g. through SSO or an
    invitation) is marked confirmed instead. Each removal is its own transaction.
    """
    connection.set_schema_to_public()
    cutoff = timezone.now() - timedelta(seconds=settings.SIGNUP_UNCONFIRMED_REMOVE_AFTER)
    removed = []
    for tenant in Tenant.objects.filter(awaiting_confirmation=True, created_at__lt=cutoff).order_by("pk"):
        if schema_exists(tenant.schema_name):
            with schema_context(tenant.schema_name):
                in_use = User.objects.filter(Q(email_confirmed=True) | Q(last_login__isnull=False)).exists()
            if in_use:
                Tenant.objects.filter(pk=tenant.pk).update(awaiting_confirmation=False)
                continue
        with transaction.atomic():
            tenant.delete(force_drop=True)
        logger.info("unconfirmed organisation removed", extra={"organisation": tenant.slug})
        removed.append(tenant.slug)
    return removed
