"""Schema-wide DDL (cloning, dropping a schema) under the settings it needs, for the models and the
spare pool alike."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def statement_timeout_lifted():
    """Schema-wide DDL (cloning, dropping) may take longer than a request's statement timeout, and
    runs with PostgreSQL's own planner costs: django-tenants' clone function queries the system
    catalogs, which at the sessions' random_page_cost of 1.1 get plans that take minutes once the
    database holds a thousand schemas (6-8 s at the default 4).

    The block runs in a transaction (joining the caller's, if any) with the settings made `SET LOCAL`:
    they end with it, or are undone with its savepoint on an error, and never stay on the connection,
    which matters behind a transaction-pooling PgBouncer (tenants/postgresql_backend)."""
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("SET LOCAL random_page_cost = 4")
        yield
        if nested:  # the caller's transaction goes on: back to the connection's own settings
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")
                cursor.execute("RESET random_page_cost")
            connection.pooled_settings_applied = None  # behind a pooler, set them again (see the backend)
