from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name


def tenant_context(request):
    """Template context: the current organisation (None on the public site)."""
    tenant = getattr(request, "tenant", None)
    is_public = tenant is None or tenant.schema_name == get_public_schema_name()
    return {
        "organisation": None if is_public else tenant,
        "is_public_site": is_public and not settings.SINGLE_TENANT,
        "single_tenant": settings.SINGLE_TENANT,
        "base_domain": settings.BASE_DOMAIN,
        "schema_name": connection.schema_name,
    }
