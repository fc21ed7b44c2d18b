"""The UI's read pages with Django's test client: content, permissions and tenant isolation."""

import pytest
from django_tenants.utils import schema_context

from tests.support.factories import pact_publish, verification_publish

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/",
    "/dashboard",
    "/ui/network",
    "/ui/pacticipants/Orders",
    "/ui/pacts/provider/Orders/consumer/Web",
    "/ui/pacts/provider/Orders/consumer/Web/version/1.0.0",
    "/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0",
    "/ui/matrix?consumer=Web&provider=Orders",
    "/ui/can-i-deploy?pacticipant=Web&version=1.0.0&environment=production",
    "/ui/can-i-deploy/versions?pacticipant=Web",
    "/ui/environments",
    "/ui/webhooks",
    "/settings",
]


def text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("path", READ_PAGES)
def test_every_read_page_is_served_to_a_viewer(world, viewer, path):
    assert viewer.get(path).status_code == 200


@pytest.mark.parametrize("path", READ_PAGES + ["/ui/webhooks/new", "/settings/secrets"])
def test_signed_out_visitors_are_sent_to_sign_in(world, acme, path):
    response = acme.browser().get(path, HTTP_ACCEPT="text/html")  # a browser; API clients get the HAL index

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


@pytest.mark.parametrize(
    "path",
    [
        "/ui/pacticipants/Orders",
        "/ui/pacts/provider/Orders/consumer/Web",
        "/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0",
    ],
)
def test_the_outsider_never_sees_acmes_contracts(world, outsider_admin, path):
    assert outsider_admin.get(path).status_code == 404


def test_the_outsiders_dashboard_shows_only_its_own_integrations(world, outsider, outsider_admin):
    with schema_context(outsider.schema):
        pact_publish("GlobexApp", "1", "GlobexApi")

    page = text(outsider_admin.get("/dashboard"))

    assert "GlobexApp" in page
    assert ">Orders</a>" not in page and ">Web</a>" not in page


def test_a_session_of_one_organisation_is_not_a_session_of_another(world, acme, outsider_admin):
    from django.test import Client

    stolen = Client(HTTP_HOST=acme.host, HTTP_ACCEPT="text/html")
    stolen.cookies = outsider_admin.cookies

    assert stolen.get("/dashboard").status_code == 302


def test_a_viewer_without_read_is_refused(acme, world):
    from tests.accounts.conftest import member_create
    from tests.ui.conftest import signed_in

    nobody = member_create(acme, email="nobody@acme.example", permissions=set())

    response = signed_in(acme, nobody.user).get("/dashboard")

    assert response.status_code == 403
    assert "Read contract data" in text(response)


def test_the_dashboard_lists_every_integration_with_its_status_and_deployments(world, admin):
    page = text(admin.get("/dashboard"))

    for status in ("Verified", "Failed", "Changed since last verified", "Not yet verified"):
        assert status in page
    assert "Production: 2.0.0" in page and "Test: 2.1.0" in page  # where Orders is deployed
    assert "Production: 3.0 (released)" in page
    assert "⎇ feat/x" in page


def test_the_dashboard_searches_and_filters_and_answers_htmx_with_the_table_only(world, admin):
    searched = admin.get("/dashboard?q=mob", HTTP_HX_REQUEST="true")

    assert "<html" not in text(searched)
    assert text(searched).count("<tr>") == 2  # the header row and Mobile -> Orders
    assert "Mobile" in text(searched)
    failed = text(admin.get("/dashboard?status=failed"))
    assert "Users" in failed and "Payments" not in failed
    assert "No integration matches" in text(admin.get("/dashboard?q=nothing-like-this"))


def test_a_new_organisation_is_told_how_to_publish_its_first_pact(acme, admin):
    page = text(admin.get("/", HTTP_ACCEPT="text/html"))

    assert "Publish your first pact" in page
    assert f"--broker-base-url http://{acme.host}" in page


def test_the_network_diagram_embeds_nodes_and_coloured_edges(world, admin):
    response = admin.get("/ui/network")
    graph = response.context["graph"]

    assert {n["data"]["name"] for n in graph["nodes"]} == {"Web", "Mobile", "Orders", "Users", "Payments"}
    statuses = {(e["data"]["consumer"], e["data"]["provider"]): e["data"]["status"] for e in graph["edges"]}
    assert statuses[("Web", "Orders")] == "success"
    assert statuses[("Web", "Users")] == "failed"
    assert statuses[("Mobile", "Orders")] == "stale"
    assert statuses[("Orders", "Payments")] == "never"
    assert 'id="network-data"' in text(response)
    assert "vendor/cytoscape.min.js" in text(response)


def test_the_pacticipant_page_shows_versions_branches_tags_deployments_and_details(world, admin):
    page = text(admin.get("/ui/pacticipants/Orders"))

    assert "https://git.example.com/shop/orders" in page and "shop/orders" in page
    assert "backend" in page  # label
    assert "2.1.0" in page and "2.0.0" in page
    assert "⎇ main (latest)" in page
    assert "since" in page  # a current deployment
    assert "Payments" in page and "Mobile" in page  # integrations both ways


def test_a_repository_url_that_is_not_http_never_becomes_a_link(acme, world, admin):
    from apps.contracts.models import Pacticipant

    with schema_context(acme.schema):
        Pacticipant.objects.filter(name="Orders").update(repository_url="javascript:alert(1)")

    assert 'href="javascript' not in text(admin.get("/ui/pacticipants/Orders"))


def test_the_pact_page_renders_interactions_messages_states_history_and_results(acme, world, admin):
    with schema_context(acme.schema):
        verification_publish(
            "Web",
            "1.1.0",
            "Orders",
            "2.2.0",
            success=False,
            test_results={
                "tests": [
                    {
                        "testDescription": "a request for an order",
                        "success": False,
                        "mismatches": [{"description": "Expected 42.5 but got 40"}],
                    }
                ]
            },
        )

    page = text(admin.get("/ui/pacts/provider/Orders/consumer/Web"))

    assert "GET /orders/2?expand=lines" in page
    assert "order 1 exists" in page and "&quot;id&quot;: 1" in page
    assert "an order created event" in page and "topic:" in page
    assert "Expected 42.5 but got 40" in page
    assert "Failed" in page and "Passed" in page
    assert "Diff with previous" in page
    assert "The pact as published" in page and "&quot;pactSpecification&quot;" in page


def test_a_pact_of_an_older_version_and_a_missing_one(world, admin):
    assert "/orders/1" in text(admin.get("/ui/pacts/provider/Orders/consumer/Web/version/1.0.0"))
    assert admin.get("/ui/pacts/provider/Orders/consumer/Web/version/9.9").status_code == 404
    assert admin.get("/ui/pacts/provider/Nope/consumer/Web").status_code == 404


def test_the_diff_shows_what_changed(world, admin):
    response = admin.get("/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0")

    assert '<span class="remove">-        &quot;path&quot;: &quot;/orders/1&quot;,</span>' in text(response)
    assert '<span class="add">+        &quot;path&quot;: &quot;/orders/2&quot;,</span>' in text(response)
    same = admin.get("/ui/pacts/provider/Orders/consumer/Web/diff?from=1.1.0&to=1.1.0")
    assert "the same content" in text(same)
    assert admin.get("/ui/pacts/provider/Orders/consumer/Web/diff?from=0.1&to=1.1.0").status_code == 404


def test_can_i_deploy_gives_the_matrix_answer_and_reasons(world, admin):
    yes = admin.get("/ui/can-i-deploy?pacticipant=Web&version=1.0.0&environment=production")
    assert yes.context["result"].summary.deployable is True
    assert "Yes, you can deploy" in text(yes)
    assert "All required verification results are published and successful" in text(yes)

    unknown = text(admin.get("/ui/can-i-deploy?pacticipant=Web&version=1.1.0&environment=production"))
    assert (
        "There is no verified pact between version 1.1.0 of Web and the version of Orders currently in "
        "production (2.0.0)" in unknown
    )


def test_can_i_deploy_explains_what_is_missing_or_wrong(world, admin):
    missing = admin.get("/ui/can-i-deploy?pacticipant=Web")
    assert missing.status_code == 400
    assert "Choose a version." in text(missing) and "Choose an environment." in text(missing)

    unknown_env = admin.get("/ui/can-i-deploy?pacticipant=Web&version=1.0.0&environment=mars")
    assert "Environment with name &#x27;mars&#x27; does not exist" in text(unknown_env)


def test_the_version_suggestions_are_the_newest_versions(world, admin):
    page = text(admin.get("/ui/can-i-deploy/versions?pacticipant=Web"))

    assert page.index('"1.1.0"') < page.index('"1.0.0"')


def test_the_matrix_page_shows_rows_of_both_versions(world, admin):
    response = admin.get("/ui/matrix?consumer=Web&provider=Orders&latestby=")

    assert len(response.context["result"].rows) == 2
    assert "2.1.0" in text(response)
    assert admin.get("/ui/matrix?consumer=Nope").status_code == 400


def test_the_environments_page_shows_what_is_where_since_when(world, admin):
    response = admin.get("/ui/environments")
    environments = {v.environment.name: v for v in response.context["environments"]}

    assert {d.version.number for d in environments["production"].deployed} == {"1.0.0", "2.0.0"}
    assert [r.version.number for r in environments["production"].released] == ["3.0"]
    assert len(response.context["deployments"]) == 4


def test_the_environments_page_says_how_to_start(acme, admin):
    assert "pact broker create-environment" in text(admin.get("/ui/environments"))


def test_settings_lists_only_what_the_person_may_open(world, admin, viewer):
    everything = [s.label for s in admin.get("/settings").context["sections"]]
    assert everything == [
        "My tokens",
        "Password",
        "Users",
        "System accounts",
        "Roles",
        "Teams",
        "Secrets",
        "Webhooks",
        "Import",
        "Single sign-on",
        "Subscription",
        "Audit log",
        "Data export",
        "Retention",
        "Organisation",
    ]
    seen = [s.label for s in viewer.get("/settings").context["sections"]]
    assert "Secrets" not in seen and "Subscription" not in seen and "Users" in seen


@pytest.mark.parametrize(
    "path",
    [
        "/account/tokens",
        "/organisation/users",
        "/settings/sso",
        "/settings/subscription",
        "/settings/secrets",
        "/ui/webhooks",
        "/settings/data",
        "/settings/retention",
        "/settings/organisation",
    ],
)
def test_every_settings_page_has_the_one_settings_navigation(acme, admin, path):
    page = text(admin.get(path))

    assert 'aria-label="Settings"' in page
    assert '<a href="/settings/secrets"' in page and '<a href="/settings/sso"' in page
    assert 'aria-current="page"' in page


def test_names_with_a_slash_get_working_links(acme, admin):
    with schema_context(acme.schema):
        pact_publish("team/web", "1", "team/orders")

    dashboard = text(admin.get("/dashboard"))

    assert 'href="/ui/pacticipants/team/web"' in dashboard
    assert admin.get("/ui/pacticipants/team/web").status_code == 200
    assert admin.get("/ui/pacts/provider/team/orders/consumer/team/web").status_code == 200
    assert admin.get("/ui/pacts/provider/team/orders/consumer/team/web/version/1").status_code == 200
