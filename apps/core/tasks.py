"""`tenant_task`: how every task that touches an organisation's data is declared.

The tenant is an argument (the schema name, first), the task runs inside it, and a task for an
organisation deleted after it was queued is dropped with a warning. Tasks are Celery shared tasks:
they bind to the application config/celery.py creates, which the apps never import (dependencies
run one way, docs/architecture.md).
"""

import functools
import logging

from celery import shared_task

from apps.core.log_context import current_tenant

logger = logging.getLogger(__name__)


def tenant_task(*task_args, **task_kwargs):
    """Declare a task that runs inside one tenant's schema, named by its first argument."""

    def decorator(func):
        @shared_task(*task_args, **task_kwargs)
        @functools.wraps(func)
        def run(schema_name: str, *args, **kwargs):
            from django_tenants.utils import get_tenant_model, schema_context, schema_exists, tenant_context

            token = current_tenant.set(schema_name)
            try:
                # The organisation itself, not only its schema: what the task does may depend on its
                # plan (limits_for(connection.tenant)), as a request's would; and its row says which
                # database server holds the schema (tenants/placement.py).
                tenant = get_tenant_model().objects.filter(schema_name=schema_name).first()
                with tenant_context(tenant) if tenant is not None else schema_context(schema_name):
                    if not schema_exists(schema_name):  # the organisation was deleted after the task was queued
                        logger.warning("task %s dropped: no schema %s", run.name, schema_name)
                        return None
                    return func(schema_name, *args, **kwargs)
            finally:
                current_tenant.reset(token)

        return run

    return decorator
