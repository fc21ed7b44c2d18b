"""Put a schema one migration behind, for tests of `migrate_schemas` and of readiness.

Deleting a row of `django_migrations` by hand breaks as soon as another migration comes to depend on
the one deleted (Django then refuses the inconsistent history). Instead, really reverse the smallest
reversible migration that nothing depends on, so that migrating runs it again.
"""

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def schema_put_one_migration_behind(schema_name: str) -> tuple[str, str]:
    """Reverse one migration of a tenant app in `schema_name`; return its (app label, name)."""
    tenant_labels = {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}
    connection.set_schema(schema_name, include_public=False)
    try:
        executor = MigrationExecutor(connection)
        graph = executor.loader.graph
        candidates = []
        for key in graph.leaf_nodes():
            migration = graph.nodes[key]
            node = graph.node_map[key]
            parents = [parent for parent in node.parents if parent[0] == key[0]]
            if (
                key[0] in tenant_labels
                and not node.children
                and parents
                and not migration.initial
                and all(operation.reversible for operation in migration.operations)
            ):
                candidates.append((len(migration.operations), key, parents[0]))
        if not candidates:
            raise AssertionError("no reversible migration without dependents in the tenant apps")
        _, key, parent = min(candidates)
        executor.migrate([parent])
        return key
    finally:
        connection.set_schema_to_public()
