"""Keeps the host -> tenant routing cache honest: any change to a domain forgets its cached route."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Domain, Tenant
from tenants.queries import host_cache_key


def forget_host(host: str) -> None:
    with schema_context(get_public_schema_name()):  # where tenants.queries keeps the routes
        cache.delete(host_cache_key(host))


@receiver([post_save, post_delete], sender=Domain)
def _domain_changed(sender, instance: Domain, **kwargs):
    forget_host(instance.domain)


@receiver([post_save, post_delete], sender=Tenant)
def _tenant_changed(sender, instance: Tenant, **kwargs):
    with schema_context(get_public_schema_name()):
        cache.delete("single-tenant")
        hosts = list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))
    for host in hosts:
        forget_host(host)
