"""Which tenant schemas a secrets command works on."""

from django.core.management.base import CommandError
from django_tenants.utils import get_public_schema_name, get_tenant_model


def schemas_selected(schema: str | None, all_tenants: bool) -> list[str]:
    if bool(schema) == bool(all_tenants):
        raise CommandError("give either --schema NAME or --all")
    tenants = get_tenant_model().objects.exclude(schema_name=get_public_schema_name())
    if schema:
        if not tenants.filter(schema_name=schema).exists():
            raise CommandError(f"no organisation with schema {schema!r}")
        return [schema]
    return list(tenants.order_by("pk").values_list("schema_name", flat=True))
