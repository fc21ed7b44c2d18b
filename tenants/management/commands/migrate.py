"""`migrate` is `migrate_schemas` (ours), as django-tenants makes it: test database set-up and
anything else that calls `migrate` also keeps the template and tenant schemas current."""

from tenants.management.commands.migrate_schemas import Command  # noqa: F401
