"""Keeps the host -> tenant routing cache honest: any change to a domain forgets its cached route."""
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Domain, Tenant
from tenants.queries import host_cache_key


def forget_host(host: str) -> None:
    connection.set_schema_to_public()
    cache.delete(host_cache_key(host))


@receiver([post_save, post_delete], sender=Domain)
def _domain_changed(sender, instance: Domain, **kwargs):
    forget_host(instance.domain)


@receiver([post_save, post_delete], sender=Tenant)
def _tenant_changed(sender, instance: Tenant, **kwargs):
    cache.delete("single-tenant")
    for host in Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True):
        forget_host(host)
