"""`/dashboard`: the page a page at a time (search and filter kept across pages, a constant number
of SQL statements at 200+ integrations), and the broker's JSON dashboard for API clients."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tests.support.factories import pact_publish, verification_publish
from tests.support.pacts import contract, contracts_post, pact_fixture
from tests.support.ui_seed import network_seed

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def rows_of(response) -> int:
    return len(re.findall(r"<tr>", text(response))) - 1  # less the header row


@pytest.fixture
def many(acme):
    """210 integrations between 100 applications."""
    with schema_context(acme.schema):
        return network_seed(nodes=100, integrations=210)


def _count(client, path: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, path
    return len(queries)


def test_the_dashboard_shows_fifty_integrations_a_page(many, admin):
    first = admin.get("/dashboard")
    last = admin.get("/dashboard?page=5")

    assert "210 integrations; showing 1–50." in text(first)
    assert rows_of(first) == 50
    assert "Page 1 of 5" in text(first)
    assert 'href="/dashboard?page=2#integrations" rel="next"' in text(first)
    assert 'hx-swap="innerHTML show:#integrations:top"' in text(first)  # paging returns to the table's top
    assert 'rel="prev"' not in text(first)
    assert rows_of(last) == 10
    assert "showing 201–210" in text(last)
    assert 'rel="next"' not in text(last)
    assert admin.get("/dashboard?page=99").context["page"].number == 5  # past the end: the last page
    assert admin.get("/dashboard?page=nonsense").context["page"].number == 1


def test_every_integration_is_on_exactly_one_page(many, admin):
    seen = []
    for number in range(1, 6):
        seen += [(r.consumer.name, r.provider.name) for r in admin.get(f"/dashboard?page={number}").context["rows"]]

    assert sorted(seen) == sorted(many)


def test_page_links_keep_the_search_and_the_filter(many, admin):
    # A quarter of the integrations are verified; App0 matches App000-App099 (all of them).
    response = admin.get("/dashboard?q=App0&status=success&page=1", HTTP_HX_REQUEST="true")

    assert "<html" not in text(response)
    assert "53 integrations match the filter; showing 1–50." in text(response)
    assert 'href="/dashboard?q=App0&amp;status=success&amp;page=2#integrations"' in text(response)
    assert 'hx-get="/dashboard?q=App0&amp;status=success&amp;page=2"' in text(response)
    second = admin.get("/dashboard?q=App0&status=success&page=2")
    assert rows_of(second) == 3
    assert {r.status for r in second.context["rows"]} == {"success"}


def test_the_summary_counts_filter_and_the_table_sorts(many, admin):
    response = admin.get("/dashboard?q=App0&sort=consumer")
    summary = {s["status"]: s for s in response.context["summary"]}

    # Of 210 integrations a quarter are verified, a quarter failed, the rest never verified.
    assert {k: s["count"] for k, s in summary.items()} == {
        "": 210,
        "failed": 53,
        "unverified": 104,
        "changed": 0,
        "success": 53,
    }
    assert summary["failed"]["query"] == "q=App0&sort=consumer&status=failed"
    assert summary[""]["current"] and not summary["failed"]["current"]
    assert "<strong>53</strong> Failed</a>" in text(response)
    names = [(r.consumer.name, r.provider.name) for r in response.context["rows"]]
    assert names == sorted(names, key=lambda n: (n[0].lower(), n[1].lower()))
    failed = admin.get("/dashboard?status=failed&sort=status")
    assert {r.status for r in failed.context["rows"]} == {"failed"}
    assert {r.status for r in admin.get("/dashboard?sort=status").context["rows"]} == {"failed"}  # 53 of them
    assert {r.status for r in admin.get("/dashboard?sort=status&page=5").context["rows"]} == {"success"}
    assert 'aria-current="true"' in text(failed)


def test_long_versions_show_as_short_shas_with_a_copy_button(acme, admin):
    sha = "0f3a9c1d2e4b5a69788f0e1d2c3b4a5968778695"
    with schema_context(acme.schema):
        pact_publish("Web", sha, "Orders")

    page = text(admin.get("/dashboard"))

    assert f'<span class="version" title="{sha}">0f3a9c1</span>' in page
    assert f'data-copy-text="{sha}" aria-label="Copy version {sha}"' in page


def test_the_dashboard_and_the_network_cost_at_two_hundred_integrations_what_they_cost_at_one(acme, admin):
    with schema_context(acme.schema):
        pact_publish("Solo", "1", "Api")
        verification_publish("Solo", "1", "Api", "1")  # nothing verified at all costs one statement less
    admin.get("/dashboard")  # warm the session and tenant caches
    one = _count(admin, "/dashboard")
    one_api = _count(admin, "/dashboard", HTTP_ACCEPT="application/hal+json")
    one_network = _count(admin, "/ui/network")
    # Session, user, roles and tenant included (the JSON one: the session's, as a browser's fetch).
    assert one <= 15 and one_api <= 15 and one_network <= 8

    with schema_context(acme.schema):
        network_seed(nodes=100, integrations=210)

    assert _count(admin, "/dashboard") == one
    assert _count(admin, "/dashboard?page=3") == one
    assert _count(admin, "/dashboard?q=App&status=failed&page=2") == one
    assert _count(admin, "/dashboard", HTTP_ACCEPT="application/hal+json") == one_api
    assert _count(admin, "/ui/network") == one_network


# The broker's JSON dashboard ------------------------------------------------------------------


def _item(items, consumer, provider):
    [item] = [i for i in items if i["consumer"]["name"] == consumer and i["provider"]["name"] == provider]
    return item


@pytest.mark.parametrize("accept", ["application/hal+json", "*/*", None, "text/html, application/hal+json"])
def test_api_clients_get_the_brokers_json_dashboard(world, acme, accept):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {acme.token}"}
    if accept is not None:
        headers["HTTP_ACCEPT"] = accept

    response = acme.browser().get("/dashboard", **headers)

    assert response.status_code == 200
    # The broker's dashboard produces HAL and text only: plain JSON asked for is a 406.
    assert response["Content-Type"].startswith("application/hal+json")
    assert "Accept" in response["Vary"]
    assert len(response.json()["items"]) == 4


def test_the_json_dashboard_is_read_only(world, acme, admin):
    # As the open-source broker answers a method its resource does not have: 405 with the ones it has.
    for response in (acme.client().post("/dashboard", {}, content_type="application/json"), admin.post("/dashboard")):
        assert (response.status_code, response["Allow"]) == (405, "GET, OPTIONS")


def test_browsers_get_the_dashboard_page_at_the_same_path(world, admin):
    response = admin.get("/dashboard", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Integrations</h1>" in text(response)


def test_htmx_requests_get_the_table_even_though_they_accept_anything(world, admin):
    response = admin.get("/dashboard?q=web", HTTP_ACCEPT="*/*", HTTP_HX_REQUEST="true")

    assert response["Content-Type"].startswith("text/html")
    assert '<table class="integrations">' in text(response)


def test_the_json_dashboard_has_the_brokers_shape(world, acme):
    host = f"http://{acme.host}"
    items = acme.client().get("/dashboard").json()["items"]

    activity = [
        max(filter(None, [i["pact"]["createdAt"], (i["latestVerificationResult"] or {}).get("verifiedAt")]))
        for i in items
    ]
    assert activity == sorted(activity, reverse=True)  # newest activity first
    item = _item(items, "Web", "Orders")
    assert set(item) == {
        "consumer",
        "provider",
        "pact",
        "pactTags",
        "latestVerificationResult",
        "latestVerificationResultTags",
        "verificationStatus",
        "webhookStatus",
        "latestWebhookExecution",
        "_links",
    }
    assert item["consumer"] == {
        "name": "Web",
        "version": {
            "number": "1.1.0",
            "branch": "main",
            "headBranchNames": ["main"],
            "_links": {"self": {"href": f"{host}/pacticipants/Web/versions/1.1.0"}},
        },
        "_links": {"self": {"href": f"{host}/pacticipants/Web"}},
    }
    assert item["provider"] == {
        "name": "Orders",
        "version": {"number": "2.1.0", "branch": "main", "headBranchNames": ["main"]},
        "_links": {"self": {"href": f"{host}/pacticipants/Orders"}},
    }
    assert item["pact"]["_links"]["self"]["href"] == f"{host}/pacts/provider/Orders/consumer/Web/version/1.1.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", item["pact"]["createdAt"])
    assert item["latestVerificationResult"]["success"] is True
    assert item["latestVerificationResult"]["_links"]["self"]["href"] == (
        f"{host}/pacts/provider/Orders/consumer/Web/version/1.1.0/verification-results/latest"
    )
    assert item["verificationStatus"] == "success"
    assert item["webhookStatus"] == "failure"  # the seeded delivery to CI failed
    assert item["latestWebhookExecution"]["triggeredAt"].endswith("+00:00")
    assert item["_links"]["pb:webhook-status"] == {
        "title": "Status of webhooks for Web/Orders pact",
        "href": f"{host}/pacts/provider/Orders/consumer/Web/webhooks/status",
    }


def test_the_json_dashboard_statuses_tags_and_nulls(world, acme):
    items = acme.client().get("/dashboard").json()["items"]

    never = _item(items, "Orders", "Payments")
    assert never["verificationStatus"] == "never"
    assert never["latestVerificationResult"] is None and never["provider"]["version"] is None
    assert never["webhookStatus"] == "none" and never["latestWebhookExecution"] is None
    assert _item(items, "Mobile", "Orders")["verificationStatus"] == "stale"
    assert _item(items, "Mobile", "Orders")["webhookStatus"] == "not_run"  # Orders' webhook, never triggered
    assert _item(items, "Mobile", "Orders")["consumer"]["version"]["branch"] == "feat/x"
    assert _item(items, "Web", "Users")["verificationStatus"] == "failed"
    # Web 1.0.0 is tagged prod, but the latest pact is 1.1.0's: no latest tags.
    assert _item(items, "Web", "Orders")["pactTags"] == []


def test_pact_tags_are_the_latest_tags_of_the_consumer_version(acme):
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar", tags=["prod", "dev"])
        pact_publish("Foo", "2", "Baz", tags=["dev"])  # now the latest dev version of Foo

    items = acme.client().get("/dashboard").json()["items"]

    assert _item(items, "Foo", "Bar")["pactTags"] == [
        {
            "name": "prod",
            "latest": True,
            "_links": {"self": {"href": f"http://{acme.host}/pacticipants/Foo/versions/1/tags/prod"}},
        }
    ]
    assert [t["name"] for t in _item(items, "Foo", "Baz")["pactTags"]] == ["dev"]


def test_the_dashboard_of_one_integration(world, acme):
    response = acme.client().get("/dashboard/provider/Orders/consumer/Web")

    assert [(i["consumer"]["name"], i["provider"]["name"]) for i in response.json()["items"]] == [("Web", "Orders")]
    assert acme.client().get("/dashboard/provider/Orders/consumer/Nobody").json() == {"items": []}


def test_the_integrations_pb_dashboard_link_leads_to_its_dashboard(world, acme):
    listed = acme.client().get("/integrations", HTTP_ACCEPT="application/hal+json").json()
    integrations = listed["_embedded"]["integrations"]
    href = next(i for i in integrations if i["consumer"]["name"] == "Web" and i["provider"]["name"] == "Orders")[
        "_links"
    ]["pb:dashboard"]["href"]

    response = acme.client().get(href.split(acme.host, 1)[1])

    assert response.status_code == 200 and len(response.json()["items"]) == 1


def test_a_browser_asking_for_one_integrations_dashboard_gets_its_pact_page(world, admin):
    response = admin.get("/dashboard/provider/Orders/consumer/Web")

    assert response.status_code == 302 and response["Location"] == "/ui/pacts/provider/Orders/consumer/Web"


def test_the_json_dashboard_pages_on_request(many, acme):
    response = acme.client().get("/dashboard?size=100&page=2").json()

    assert len(response["items"]) == 100
    assert response["page"] == {"number": 2, "size": 100, "totalElements": 210, "totalPages": 3}
    assert response["_links"]["next"]["href"] == f"http://{acme.host}/dashboard?size=100&page=3"
    assert response["_links"]["previous"]["href"] == f"http://{acme.host}/dashboard?size=100&page=1"
    assert "page" not in acme.client().get("/dashboard").json()
    assert acme.client().get("/dashboard?page=0").status_code == 400


def test_the_json_dashboard_needs_a_token_and_shows_only_its_organisation(world, acme, outsider):
    with schema_context(outsider.schema):
        pact_publish("GlobexApp", "1", "GlobexApi")

    assert acme.browser().get("/dashboard", HTTP_ACCEPT="application/json").status_code == 401
    items = outsider.client().get("/dashboard").json()["items"]
    assert [(i["consumer"]["name"], i["provider"]["name"]) for i in items] == [("GlobexApp", "GlobexApi")]


def test_the_api_dashboard_as_text_is_the_brokers_table(acme):
    client = acme.client()
    contracts_post(client, contract(pact_fixture("foo-bar")), version="1", tags=["dev"])

    response = client.get("/dashboard", HTTP_ACCEPT="text/plain")

    assert response["Content-Type"] == "text/plain;charset=utf-8"
    assert response.content.decode() == (
        "CONSUMER_NAME | C_VERSION | C_TAGS | PROVIDER_NAME | P_VERSION | P_TAGS | SUCCESS\n"
        "--------------|-----------|--------|---------------|-----------|--------|--------\n"
        "Foo           | 1         | dev    | Bar           |           |        |\n"
    )
    assert client.get("/dashboard", HTTP_ACCEPT="application/json").status_code == 406
