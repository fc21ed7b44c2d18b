"""The database backend: django-tenants' PostgreSQL backend, able to sit behind a transaction-pooling PgBouncer."""
