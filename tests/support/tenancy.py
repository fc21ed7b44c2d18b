"""Helpers to make organisations, users and clients bound to a tenant's host."""

from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services as account_services
from apps.accounts.models import User
from tenants.models import Tenant
from tenants.services import tenant_provision


@dataclass
class Org:
    tenant: Tenant
    host: str
    admin: User
    token: str  # read-write token of the admin
    read_token: str

    @property
    def schema(self) -> str:
        return self.tenant.schema_name

    def client(self, token: str | None = None, **headers) -> Client:
        """A test client on this organisation's host, authenticated with a bearer token."""
        extra = {"HTTP_HOST": self.host, **headers}
        secret = self.token if token is None else token
        if secret:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return Client(**extra)

    def browser(self) -> Client:
        return Client(HTTP_HOST=self.host)


def org_create(slug: str, *, name: str | None = None, admin_email: str | None = None) -> Org:
    tenant = tenant_provision(name=name or slug.title(), slug=slug)
    with schema_context(tenant.schema_name):
        admin = account_services.user_create(
            email=admin_email or f"admin@{slug}.example",
            name=f"{slug} admin",
            password="correct-horse-battery",
            is_admin=True,
            email_confirmed=True,
        )
        _, rw = account_services.token_create(user=admin, name="rw", read_only=False)
        _, ro = account_services.token_create(user=admin, name="ro", read_only=True)
    return Org(tenant=tenant, host=f"{slug}.{settings.BASE_DOMAIN}", admin=admin, token=rw, read_token=ro)
