"""Spare organisation schemas for the test suite, so that making an organisation costs a rename.

Every test that makes an organisation (the `acme` and `outsider` fixtures, sign-ups, operators'
commands) goes through the product's own provisioning, which takes a spare schema when one is ready
(tenants/spares.py) and clones the template otherwise. Cloning costs a second or more; taking a spare
is one `ALTER SCHEMA … RENAME`. Inside a test's transaction the rename is rolled back with everything
else, so the spare is back for the next test: the pool is filled once per test database and only
topped up after a test committed an organisation (live-server and worker tests, module-wide worlds).

The suite used to build `acme` and `outsider` once per module inside an outer transaction instead.
Every test then ran as a savepoint of one transaction that lived for the whole module: once a
transaction has more than 64 subtransactions PostgreSQL's snapshots overflow, every visibility
check in every backend goes through pg_subtrans, and cloning and rolling back slowed from a second
to tens of seconds (the full run no longer fitted in CI's 90 minutes). Transactions are now one
test long.
"""

import uuid
from contextlib import contextmanager

from django.db import connection, transaction
from django_tenants.clone import CloneSchema
from django_tenants.utils import get_tenant_base_schema, schema_exists

from tenants.spares import PREFIX, spare_schema_names

# The most organisations one test makes without cloning (sign-up tests make three or four).
POOL_SIZE = 5
_PARKED = "_parked_"


def spare_pool_fill(size: int = POOL_SIZE) -> int:
    """Clone spares until `size` are ready, each committed on its own; returns how many were made.
    Must run outside any transaction (a spare made inside a test's would roll back with it)."""
    template = get_tenant_base_schema()
    connection.set_schema_to_public()
    made = 0
    for _ in range(size - len(spare_schema_names())):
        with transaction.atomic():
            CloneSchema().clone_schema(template, f"{PREFIX}{uuid.uuid4().hex[:12]}", "DATA")
        made += 1
    return made


@contextmanager
def spares_parked(*, restore: bool):
    """Hide the pool from a test about the pool itself (it expects to start with no spare).
    `restore` renames them back afterwards: needed only when the test commits; otherwise the
    test's rollback undoes the parking, and its transaction may be unusable by then anyway."""
    connection.set_schema_to_public()
    parked = []
    with connection.cursor() as cursor:
        for name in spare_schema_names():
            hidden = _PARKED + name.removeprefix(PREFIX)
            cursor.execute(f'ALTER SCHEMA "{name}" RENAME TO "{hidden}"')
            parked.append((hidden, name))
    yield
    if restore:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            for hidden, name in parked:
                if schema_exists(hidden) and not schema_exists(name):
                    cursor.execute(f'ALTER SCHEMA "{hidden}" RENAME TO "{name}"')
