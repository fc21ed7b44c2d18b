"""acme and outsider built once per test module instead of once per test.

Cloning a tenant schema costs a few hundred milliseconds, and most tests want the same two
organisations. So the first test of a module that asks for them opens an outer transaction (never
committed) and builds them inside it (per module, not per session: a transaction holds a lock on
every table it creates, and a whole session's worth would exhaust max_locks_per_transaction);
every test's own transaction is then a savepoint within it, rolled back
after the test as usual. pytest-django runs transactional tests (live server, Celery worker) after
the others; before the first of them the outer transaction is rolled back, and from then on the
fixtures build organisations per test again. The Org handed to a test is re-read from the
database, so attributes a test changes in memory never leak into the next one.
"""
from dataclasses import replace

from django.db import connection, transaction
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tenants.models import Tenant
from tests.support.tenancy import Org, org_create


class SharedOrgs:
    def __init__(self):
        self._atomic = None
        self._orgs: dict[str, Org] = {}

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self, specs: dict[str, str]) -> None:
        connection.set_schema_to_public()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        for slug, name in specs.items():
            self._orgs[slug] = org_create(slug, name=name)
        connection.set_schema_to_public()

    def close(self) -> None:
        if self._atomic is None:
            return
        connection.set_schema_to_public()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._atomic = None
        self._orgs = {}

    def get(self, slug: str) -> Org | None:
        org = self._orgs.get(slug)
        if org is None:
            return None
        connection.set_schema_to_public()
        tenant = Tenant.objects.get(pk=org.tenant.pk)
        with schema_context(tenant.schema_name):
            admin = User.objects.get(pk=org.admin.pk)
        return replace(org, tenant=tenant, admin=admin)


SHARED = SharedOrgs()
SPECS = {"acme": "Acme Corp", "globex": "Globex"}
