"""django-tenants' PostgreSQL backend, safe behind a connection pooler in transaction mode.

django-tenants routes a request to an organisation by `SET search_path` on the connection, once per
schema change. That is a *session* setting: behind PgBouncer in transaction pooling mode, consecutive
transactions of one Django connection run on whichever server connection is free, so the search path
set for one organisation can be the one another organisation's next statement runs with, and a
statement in autocommit may run on a server connection whose path nobody set for it. Data would cross
organisations.

With `DATABASE_POOLER=transaction` (settings put `POOLER: "transaction"` in the database entry) this
backend never sets a session setting. Every transaction carries its own: the first statement of a
transaction is preceded by `SET LOCAL search_path = …` (and the configured statement timeout and
planner cost, which PgBouncer would refuse as startup options), again whenever the schema changes
inside the transaction or a savepoint rollback may have undone it; and a statement issued in
autocommit is wrapped in its own BEGIN … COMMIT with those settings. `SET LOCAL` ends with the
transaction, so nothing is left on the server connection for the next client.

Also required in that mode (settings do it): no server-side cursors and no prepared statements
(both are session state). Migrations and anything else that must run outside a transaction (e.g.
`CREATE INDEX CONCURRENTLY`) connect to PostgreSQL directly (docs/operations.md).

Without a pooler (the default) this is django-tenants' backend unchanged, but for placement:
`set_tenant` (hence `set_schema`, `set_schema_to_public`, `schema_context`, `tenant_context`) moves
this thread's `default` connection to the server the organisation lives on (tenants/placement.py).
"""

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.utils import get_public_schema_name, quote_schema_name
from psycopg.pq import TransactionStatus


class DatabaseWrapper(TenantDatabaseWrapper):
    @property
    def transaction_pooling(self) -> bool:
        return self.settings_dict.get("POOLER") == "transaction"

    def set_tenant(self, tenant, include_public=True):
        """Enter `tenant` on the connection of the server it is placed on (tenants/placement.py);
        the connection left behind goes back to the public schema. Also when called on a connection
        that is no longer this thread's `default` (django-tenants' `schema_context` keeps the one it
        entered on, to restore the previous organisation on it)."""
        from tenants.placement import connection_for, routes

        if not routes(self):
            return super().set_tenant(tenant, include_public)
        target = connection_for(tenant)
        if target is not self:
            super().set_tenant(FakeTenant(schema_name=get_public_schema_name()))
            return TenantDatabaseWrapper.set_tenant(target, tenant, include_public)
        return super().set_tenant(tenant, include_public)

    def _cursor(self, name=None):
        if not self.transaction_pooling:
            return super()._cursor(name=name)
        # Skip django-tenants' session-level SET: PooledCursor sets the path per transaction.
        return super(TenantDatabaseWrapper, self)._cursor(name=name)

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        return PooledCursor(cursor, self) if self.transaction_pooling else cursor

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        self.pooled_settings_applied = None  # the rollback may have undone a SET LOCAL made after the savepoint

    def pooled_settings(self) -> str:
        """The statements that make a transaction run as this connection's current organisation."""
        paths = ",".join(quote_schema_name(schema) for schema in self._get_cursor_search_paths())
        statements = [f"SET LOCAL search_path = {paths}"]
        for name, value in (self.settings_dict.get("POOLED_SETTINGS") or {}).items():
            statements.append(f"SET LOCAL {name} = '{value}'")
        return "; ".join(statements)


class PooledCursor:
    """A psycopg cursor whose statements always run with their transaction's own settings."""

    def __init__(self, cursor, wrapper: DatabaseWrapper):
        self._cursor = cursor
        self._wrapper = wrapper

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def __iter__(self):
        return iter(self._cursor)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._cursor.close()

    def execute(self, query, params=None, **kwargs):
        return self._run(self._cursor.execute, query, params, **kwargs)

    def executemany(self, query, params_seq, **kwargs):
        return self._run(self._cursor.executemany, query, params_seq, **kwargs)

    def _run(self, method, *args, **kwargs):
        wrapper = self._wrapper
        connection = wrapper.connection
        settings = wrapper.pooled_settings()
        if connection.autocommit:  # one statement, one transaction, with its settings
            with connection.transaction():
                connection.execute(settings)
                return method(*args, **kwargs)
        if connection.info.transaction_status == TransactionStatus.IDLE:  # this statement opens the transaction
            wrapper.pooled_settings_applied = None
        if getattr(wrapper, "pooled_settings_applied", None) != settings:
            connection.execute(settings)
            wrapper.pooled_settings_applied = settings
        return method(*args, **kwargs)
