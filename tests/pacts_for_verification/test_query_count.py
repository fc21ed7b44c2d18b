"""The SQL statements per for-verification request are pinned, and do not grow with data or consumers."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.pacts_for_verification.helpers import for_verification
from tests.support.factories import pact_publish, verify

BODY = {
    "consumerVersionSelectors": [
        {"mainBranch": True},
        {"matchingBranch": True},
        {"tag": "prod", "latest": True},
        {"tag": "prod"},
        {"latest": True},
        {"branch": True},
    ],
    "providerVersionBranch": "main",
    "includeWipPactsSince": (timezone.now() - timedelta(days=7)).date().isoformat(),
}
# API token (with the user's roles) + provider + selection (all six selectors) + pending + WIP;
# transaction control not counted.
BUDGET = 5


def _statements(org) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = for_verification(org, "Bar", BODY)
    assert response.status_code == 200
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SET search_path", "SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    return len(statements), len(response.json()["_embedded"]["pacts"])


def _consumers(org, start: int, count: int, versions: int) -> None:
    with schema_context(org.schema):
        for c in range(start, start + count):
            for v in range(versions):
                publication = pact_publish(
                    f"Consumer{c}",
                    f"{v}",
                    "Bar",
                    branch="main" if v % 2 else f"feat-{v}",
                    tags=["prod"] if v % 3 == 0 else [],
                    description=f"{c}-{v}",
                )
                if v % 2:
                    verify(publication, f"bar-{c}-{v}", branch="main", success=bool(v % 4))


def test_statements_per_request_are_constant_in_data_volume_and_consumers(acme):
    _consumers(acme, 0, 1, 2)
    _statements(acme)  # warm the per-process caches (organisation lookup by host)
    small, small_pacts = _statements(acme)
    _consumers(acme, 1, 8, 6)
    large, large_pacts = _statements(acme)

    assert large_pacts > small_pacts * 5
    assert small == large == BUDGET, (small, large)
