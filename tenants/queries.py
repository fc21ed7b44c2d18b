"""Reads on organisations: host routing (cached) and slug availability.

The organisations and their domains live in the public schema, and so do their cache entries (the
cache's keys carry the schema: django_tenants.cache.make_key). Each read says so with
`schema_context` and leaves the connection in the schema it found it in.
"""

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import get_public_schema_name, get_tenant_base_schema, schema_context

from tenants import placement
from tenants.models import Domain, Tenant

_MISSING = "missing"


def host_cache_key(host: str) -> str:
    return f"tenant-for-host:{host}"


def tenant_for_host(host: str) -> Tenant | None:
    """The organisation a host name routes to, or None. No SQL on a cache hit.

    The cache key is built in the public schema so that every tenant's requests share it.
    """
    with schema_context(get_public_schema_name()):
        key = host_cache_key(host)
        cached = cache.get(key)
        if cached == _MISSING:
            return None
        if cached is not None:
            return cached
        domain = Domain.objects.select_related("tenant").filter(domain=host).first()
        tenant = domain.tenant if domain else None
        # Unknown hosts are remembered briefly so a scan of random subdomains cannot hammer the DB.
        cache.set(key, tenant or _MISSING, settings.TENANT_CACHE_SECONDS if tenant else 30)
        return tenant


def single_tenant() -> Tenant | None:
    """The one organisation of a self-hosted install."""
    with schema_context(get_public_schema_name()):
        key = "single-tenant"
        tenant = cache.get(key)
        if tenant is None:
            tenant = Tenant.objects.filter(schema_name=settings.SINGLE_TENANT_SCHEMA).first()
            if tenant is not None:
                cache.set(key, tenant, settings.TENANT_CACHE_SECONDS)
        return tenant


def slug_is_taken(slug: str) -> bool:
    return Tenant.objects.filter(slug=slug).exists()


def tenant_schema_names() -> list[str]:
    """Every organisation's schema, for periodic work that visits each of them (not public, not the template)."""
    with schema_context(get_public_schema_name()):
        return list(
            Tenant.objects.exclude(schema_name__in=[get_public_schema_name(), get_tenant_base_schema()])
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )


def tenant_schema_names_by_server() -> dict[str, list[str]]:
    """Every organisation's schema by the database server it lives on, the platform's first
    (tenants/placement.py); every configured server is a key."""
    by_server = {alias: [] for alias in placement.servers()}
    with schema_context(get_public_schema_name()):
        rows = (
            Tenant.objects.exclude(schema_name__in=[get_public_schema_name(), get_tenant_base_schema()])
            .order_by("schema_name")
            .values_list("database", "schema_name")
        )
        for alias, schema in rows:
            by_server.setdefault(alias, []).append(schema)
    return by_server
