"""Every page costs a constant number of SQL statements: the count with the seeded shop equals the
count after adding many more integrations, versions, verifications, deployments and deliveries,
and stays within the budget pinned here (session, user, permissions and tenant lookups included)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tests.support.factories import deploy, pact_publish, release, verification_publish
from tests.support.webhook_builders import deliveries_run

pytestmark = pytest.mark.django_db

# Each includes the request's own overhead: session, user, roles (permissions), tenant.
BUDGETS = {
    "/dashboard": 15,  # statuses of every integration as plain values, then the page's rows as models: +3
    "/ui/network": 8,
    "/ui/applications/Orders": 30,
    "/ui/applications": 20,
    "/ui/pacts/provider/Orders/consumer/Web": 12,
    "/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0": 9,
    "/ui/matrix?consumer=Web&provider=Orders": 8,
    "/ui/can-i-deploy?pacticipant=Web&version=1.1.0&environment=production": 16,
    "/ui/environments": 8,
    "/settings/environments": 5,
    "/ui/webhooks": 6,
    "/ui/webhooks/{webhook}": 10,  # one more than before teams: the form's team choices
    "/settings/secrets": 6,  # one more than before teams: the form's team choices
    "/settings": 4,
}


def _grow(acme, world) -> None:
    """Many more of everything each page lists."""
    with schema_context(acme.schema):
        for n in range(12):
            pact_publish(f"App{n}", "1", "Orders", branch="main", tags=["dev"])
            verification_publish(f"App{n}", "1", "Orders", "2.1.0", success=n % 2 == 0)
            pact_publish(f"App{n}", "1", f"Svc{n}")
            deploy(f"App{n}", "1", "test")
            deploy(f"Svc{n}", "1", "production")
            release(f"Svc{n}", "1", "test")
        for n in range(12):
            pact_publish(
                "Web",
                f"1.2.{n}",
                "Orders",
                branch="main",
                tags=[f"t{n}"],
                content={"interactions": [{"description": f"v{n}"}]},
            )
            verification_publish("Web", f"1.2.{n}", "Orders", f"2.2.{n}")
            deploy("Orders", f"2.2.{n}", "test", target=f"i{n}")
        publication = pact_publish("Web", "1.2.0", "Orders", content={"interactions": [{"description": "v0"}]})
        for _ in range(6):  # six more deliveries of the world's webhook, each failed once, then delivered
            deliveries_run(
                event_name="contract_requiring_verification_published",
                pact_publication=publication,
                answers=(500, 200),
                retries=1,
            )


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def test_every_page_costs_a_constant_number_of_queries(acme, world, admin, django_assert_max_num_queries):
    paths = {p.replace("{webhook}", world["webhook"].uuid): budget for p, budget in BUDGETS.items()}
    for path in paths:
        admin.get(path)  # warm the tenant cache and the session
    before = {path: _count(admin, path) for path in paths}

    _grow(acme, world)

    for path, budget in paths.items():
        with django_assert_max_num_queries(budget):
            after = _count(admin, path)
        assert after == before[path], f"{path}: {before[path]} queries before, {after} after adding data"
