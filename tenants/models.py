"""Organisations (tenants) and the host names that route to them. Both live in the public schema."""

from contextlib import nullcontext

from django.db import models
from django_tenants.clone import CloneSchema
from django_tenants.models import DomainMixin, TenantMixin
from django_tenants.utils import get_tenant_base_schema, schema_exists

from tenants import placement
from tenants.ddl import statement_timeout_lifted
from tenants.spares import spare_schema_take


class Tenant(TenantMixin):
    """An organisation: one PostgreSQL schema, reached at <slug>.<BASE_DOMAIN>."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Billing state lives on the tenant row so every request has it without another query.
    plan = models.CharField(max_length=20, default="developer")
    seats = models.PositiveIntegerField(default=2)
    # A sign-up whose administrator has not confirmed their email yet: removed after
    # SIGNUP_UNCONFIRMED_REMOVE_AFTER (tenants/services/). False for every other way of creating an
    # organisation (operators' commands, imports, bench data), so nothing else is ever removed by it.
    awaiting_confirmation = models.BooleanField(default=False)
    # Suspended by an operator (`manage.py org_suspend`): every request to the organisation is
    # answered 423 until `org_resume`. Kept on the row so routing (cached) knows without a query.
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=200, blank=True, default="")
    # Closed by an administrator (tenants/closing.py): read-only from `closing_requested_at`, deleted
    # at `closing_deletes_at` unless an administrator reopens it first.
    closing_requested_at = models.DateTimeField(null=True, blank=True)
    closing_deletes_at = models.DateTimeField(null=True, blank=True)

    # The database server holding the organisation's schema: `default` (the platform's own) or an
    # alias of ORGANISATION_DATABASES (tenants/placement.py). Changed only by `org_move`.
    database = models.CharField(max_length=40, default="default")

    auto_create_schema = True
    auto_drop_schema = True

    def __str__(self) -> str:
        return self.slug

    @property
    def is_dedicated(self) -> bool:
        return self.database != placement.PLATFORM

    def _on_own_server(self):
        """A block on the organisation's server, unless the thread is already there."""
        if placement.current_server() == self.database:
            return nullcontext()
        return placement.organisation_server(self.database)

    def save(self, *args, **kwargs):
        # django-tenants looks for the schema of an existing organisation on every save, on the
        # platform's server; a dedicated organisation's is elsewhere, and never created by a save.
        if self.pk is not None and self.is_dedicated:
            self.auto_create_schema = False
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.auto_create_schema
        return super().save(*args, **kwargs)

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Take a spare schema, or clone the migrated template: one SQL call instead of a migrate run.

        django-tenants would also run `migrate_schemas --fake` after cloning; the clone already
        carries the template's django_migrations rows, so that step is skipped (it costs a second
        of migration-graph loading per sign-up).

        A dedicated organisation's schema is made on its own server, from that server's template
        and spares, in that server's transaction (committed when made: the platform's transaction
        holding the tenant row cannot span two servers; tenants/services.py drops it again if the
        platform's transaction fails).
        """
        if self.is_dedicated and placement.current_server() != self.database:
            with placement.organisation_server(self.database):
                return self.create_schema(check_if_exists, sync_schema, verbosity)
        template = get_tenant_base_schema()
        if sync_schema and template and schema_exists(template) and not schema_exists(self.schema_name):
            if spare_schema_take(self.schema_name):  # a clone made ahead of time (tenants/spares.py)
                return True
            with statement_timeout_lifted():  # one statement copying a whole schema
                CloneSchema().clone_schema(template, self.schema_name, "DATA")
            return True
        return super().create_schema(check_if_exists, sync_schema, verbosity)

    def pre_drop(self):
        """Fire deferred foreign-key checks first: DROP SCHEMA refuses tables with pending trigger
        events, which happens when the schema's rows were written in the same transaction."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def _drop_schema(self, force_drop=False):
        with self._on_own_server(), statement_timeout_lifted():  # DROP SCHEMA of a big organisation
            return super()._drop_schema(force_drop)

    def delete(self, *args, **kwargs):
        with statement_timeout_lifted():
            return super().delete(*args, **kwargs)


class Domain(DomainMixin):
    """A host name (without port) that routes to a tenant."""


class ClosedOrganisation(models.Model):
    """The platform's record that an organisation was closed and its data deleted (no personal data:
    no names of people, no email addresses, no billing details)."""

    organisation_id = models.BigIntegerField()  # the deleted Tenant row's id (audit entries name it)
    slug = models.CharField(max_length=40)
    schema_name = models.CharField(max_length=63)
    plan = models.CharField(max_length=20)
    created_at = models.DateTimeField()  # the organisation's
    close_requested_at = models.DateTimeField()
    deleted_at = models.DateTimeField(auto_now_add=True)
    subscription_cancelled = models.BooleanField(default=False)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"{self.slug} (deleted {self.deleted_at:%Y-%m-%d})"
