from config.celery import tenant_task


@tenant_task(name="tenants.tenant_ping")
def tenant_ping(schema_name: str) -> dict:
    """Report which schema a worker ran in and what it saw there (used by readiness and tests)."""
    from django.db import connection

    from apps.accounts.models import User

    return {"schema": connection.schema_name, "users": sorted(User.objects.values_list("email", flat=True))}
