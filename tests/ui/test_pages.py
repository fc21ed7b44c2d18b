"""The UI's read pages with Django's test client: content, permissions and tenant isolation."""

import pytest
from django_tenants.utils import schema_context

from tests.support.factories import deploy, pact_publish, verification_publish

pytestmark = pytest.mark.django_db

READ_PAGES = [
    "/",
    "/dashboard",
    "/ui/network",
    "/ui/applications",
    "/ui/applications/Orders",
    "/ui/pacts/provider/Orders/consumer/Web",
    "/ui/pacts/provider/Orders/consumer/Web/version/1.0.0",
    "/ui/pacts/provider/Orders/consumer/Web/diff?from=1.0.0&to=1.1.0",
    "/ui/matrix?consumer=Web&provider=Orders",
    "/ui/can-i-deploy?pacticipant=Web&version=1.0.0&environment=production",
    "/ui/can-i-deploy/versions?pacticipant=Web",
    "/ui/environments",
    "/ui/webhooks",
    "/settings",
    "/settings/environments",
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
        "/ui/applications/Orders",
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
    # Where Orders is deployed (the version in a title and for screen readers: the column stays narrow)
    assert 'title="Deployed: 2.0.0">Production<span class="sr-only">: 2.0.0</span>' in page
    assert 'title="Deployed: 2.1.0">Test<span class="sr-only">: 2.1.0</span>' in page
    assert 'title="Released: 3.0">Production<span class="sr-only">: 3.0 (released)</span>' in page
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


def test_the_application_page_shows_versions_branches_tags_deployments_and_details(world, admin):
    response = admin.get("/ui/applications/Orders")
    page = text(response)

    assert "https://git.example.com/shop/orders" in page and "shop/orders" in page
    assert "backend" in page  # label
    assert "2.1.0" in page and "2.0.0" in page
    assert "⎇ main (latest)" in page
    assert "since" in page  # a current deployment
    assert 'Production: <span class="version">2.0.0</span>' in page  # deployed now
    statuses = {(r.consumer.name, r.provider.name): r.status_text for r in response.context["integrations"]}
    assert statuses == {
        ("Web", "Orders"): "Verified",
        ("Mobile", "Orders"): "Changed since last verified",
        ("Orders", "Payments"): "Not yet verified",
    }
    assert {n["data"]["name"] for n in response.context["graph"]["nodes"]} == {"Orders", "Web", "Mobile", "Payments"}
    assert 'id="network-data"' in page
    # Its own can-i-deploy: the head of main (2.1.0) to production, where Web 1.0.0 runs.
    assert response.context["deploy"]["environment"] == "production"
    assert "latest on main to production" in page


def test_the_old_pacticipant_addresses_lead_to_the_applications_pages(world, admin):
    assert admin.get("/ui/pacticipants")["Location"] == "/ui/applications"
    moved = admin.get("/ui/pacticipants/team/web")
    assert moved.status_code == 301 and moved["Location"] == "/ui/applications/team/web"


def test_the_applications_list_searches_filters_by_team_and_shows_a_tile_each(acme, world, admin, viewer):
    from apps.accounts.models import Team, TeamPacticipant

    with schema_context(acme.schema):
        team = Team.objects.create(name="Checkout")
        TeamPacticipant.objects.create(team=team, pacticipant_name="Web")

    response = admin.get("/ui/applications")
    tiles = {t.pacticipant.name: t for t in response.context["page"].tiles}
    assert list(tiles) == ["Mobile", "Orders", "Payments", "Users", "Web"]
    assert tiles["Orders"].mergeability == "failed" or tiles["Orders"].main_version == "2.1.0"
    assert tiles["Web"].main_version == "1.1.0" and tiles["Web"].mergeability == "failed"  # Users failed it
    assert tiles["Web"].teams == ["Default", "Checkout"]  # new applications join the Default team (issue 17)
    assert [p.environment for p in tiles["Web"].placements] == ["production", "test"]
    assert tiles["Payments"].mergeability == "none"
    assert "Teams: Default, Checkout" in text(response)

    assert [t.pacticipant.name for t in admin.get("/ui/applications?q=ob").context["page"].tiles] == ["Mobile"]
    assert [t.pacticipant.name for t in admin.get("/ui/applications?team=Checkout").context["page"].tiles] == ["Web"]
    assert "No application matches" in text(admin.get("/ui/applications?q=zzz"))
    assert "<html" not in text(admin.get("/ui/applications?q=ob", HTTP_HX_REQUEST="true"))


def test_favourites_come_first_and_belong_to_one_person(acme, world, admin, viewer):
    marked = admin.post("/ui/favourites", {"name": "Web", "favourite": "1", "next": "/ui/applications"})
    assert marked.status_code == 302 and marked["Location"] == "/ui/applications"
    assert (
        admin.post("/ui/favourites", {"name": "Orders", "favourite": "1", "next": "//evil.example"})["Location"]
        == "/ui/applications"
    )

    mine = admin.get("/ui/applications").context["page"].tiles
    assert [t.pacticipant.name for t in mine][:2] == ["Orders", "Web"] and mine[0].favourite
    assert [t.pacticipant.name for t in admin.get("/ui/applications?favourites=1").context["page"].tiles] == [
        "Orders",
        "Web",
    ]
    assert [t.pacticipant.name for t in viewer.get("/ui/applications").context["page"].tiles][0] == "Mobile"

    admin.post("/ui/favourites", {"name": "Web", "favourite": "0"})
    assert [t.pacticipant.name for t in admin.get("/ui/applications?favourites=1").context["page"].tiles] == ["Orders"]
    assert admin.post("/ui/favourites", {"name": "Nope", "favourite": "1"}).status_code == 404


def test_a_repository_url_that_is_not_http_never_becomes_a_link(acme, world, admin):
    from apps.contracts.models import Pacticipant

    with schema_context(acme.schema):
        Pacticipant.objects.filter(name="Orders").update(repository_url="javascript:alert(1)")

    assert 'href="javascript' not in text(admin.get("/ui/applications/Orders"))


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


def test_can_i_deploy_from_an_application_alone_lands_on_an_answer(world, admin):
    landed = admin.get("/ui/can-i-deploy?pacticipant=Web")

    assert landed.status_code == 200
    assert landed.context["form"]["version"] == "@branch:main"  # the latest on main: 1.1.0
    assert landed.context["form"]["environment"] == "production"
    assert "No, you cannot deploy" in text(landed) or "Not yet" in text(landed)
    by_name = {c.name: c for c in landed.context["counterparts"]}
    assert by_name["Users"].state == "unverified" and by_name["Users"].role == "provider"
    assert by_name["Users"].next_step.startswith("No version of Users is recorded in production: deploy Users")
    assert by_name["Orders"].next_step.startswith("Run Orders 2.0.0's provider verification against the pact of Web")
    assert "Why, and what to do next" not in text(landed) and "By application" in text(landed)

    # The environment asked about last is the default next time.
    admin.get("/ui/can-i-deploy?pacticipant=Web&version=1.1.0&environment=test")
    again = admin.get("/ui/can-i-deploy?pacticipant=Web")
    assert again.context["form"]["environment"] == "test"
    assert [(c.name, c.state) for c in again.context["counterparts"]] == [
        ("Users", "unverified"),
        ("Orders", "success"),
    ]


def test_can_i_deploy_names_a_failed_verification_and_what_to_do(acme, world, admin):
    with schema_context(acme.schema):
        deploy("Users", "7", "test")

    users = admin.get("/ui/can-i-deploy?pacticipant=Web&environment=test").context["counterparts"][0]

    assert (users.name, users.state) == ("Users", "failed")
    assert users.next_step.startswith("Users 7 failed to verify the pact of Web 1.1.0: open the verification result")


def test_can_i_deploy_takes_the_version_now_in_an_environment_or_a_typed_number(world, admin):
    deployed = admin.get("/ui/can-i-deploy?pacticipant=Web&version=@deployed:production&environment=test")
    assert deployed.context["result"].specified[0].version_number == "1.0.0"
    typed = admin.get("/ui/can-i-deploy?pacticipant=Web&version=@branch:main&number=1.0.0&environment=production")
    assert typed.context["result"].summary.deployable is True
    assert admin.get("/ui/can-i-deploy?version=1.0.0").status_code == 400  # no application


def test_can_i_deploy_explains_what_is_missing_or_wrong(world, admin):
    unknown_env = admin.get("/ui/can-i-deploy?pacticipant=Web&version=1.0.0&environment=mars")
    assert "Environment with name &#x27;mars&#x27; does not exist" in text(unknown_env)


def test_the_version_choices_say_branch_tags_and_where_each_version_is(world, admin):
    page = text(admin.get("/ui/can-i-deploy/versions?pacticipant=Web"))

    assert page.index('"1.1.0"') < page.index('"1.0.0"')
    assert '<option value="@branch:main" selected>Latest on branch main (main branch): 1.1.0</option>' in page
    assert "The version now in Production: 1.0.0" in page
    assert "1.1.0 · ⎇ main (latest on main) · in Test" in page
    assert "1.0.0 · ⎇ main · # prod · in Production" in page


def test_the_matrix_page_shows_rows_of_both_versions(world, admin):
    response = admin.get("/ui/matrix?consumer=Web&provider=Orders&latestby=")

    assert len(response.context["result"].rows) == 2
    assert "2.1.0" in text(response)
    assert admin.get("/ui/matrix?consumer=Nope").status_code == 400


def test_the_environments_page_is_one_grid_that_shows_drift(world, admin):
    response = admin.get("/ui/environments")
    grid = response.context["grid"]

    assert [e.name for e in grid.environments] == ["production", "test"]
    rows = {r.application: r for r in grid.rows}
    assert [c.deployed for c in rows["Web"].cells] == [[("1.0.0", None)], [("1.1.0", None)]]
    assert rows["Web"].drifted and [c.differs for c in rows["Web"].cells] == [False, True]
    assert rows["Mobile"].cells[0].released == ["3.0"] and not rows["Mobile"].drifted
    assert grid.drifted == 2  # Web and Orders run newer versions in test
    assert len(response.context["deployments"]) == 4
    assert text(response).count('class="differs"') == 2
    only = admin.get("/ui/environments?drift=1").context["rows"]
    assert [r.application for r in only] == ["Orders", "Web"]


def test_environments_are_created_and_edited_in_settings(acme, world, admin, viewer):
    from apps.environments.models import Environment

    created = admin.post("/settings/environments", {"name": "staging", "display_name": "", "production": ""})
    assert created.status_code == 302
    refused = admin.post("/settings/environments", {"name": "two words", "production": "on"})
    assert refused.status_code == 400 and "cannot contain spaces" in text(refused)
    taken = admin.post("/settings/environments", {"name": "staging"})
    assert "already used by an existing environment" in text(taken)
    with schema_context(acme.schema):
        staging = Environment.objects.get(name="staging")
    assert staging.display_name == "Staging" and not staging.production

    edited = admin.post(f"/settings/environments/{staging.uuid}", {"name": "stage", "display_name": "Stage"})
    assert edited.status_code == 302
    with schema_context(acme.schema):
        assert Environment.objects.get(pk=staging.pk).name == "stage"
    assert viewer.post(f"/settings/environments/{staging.uuid}", {"name": "x"}).status_code == 403
    assert "Create environment" not in text(viewer.get("/settings/environments"))


def test_the_environments_page_says_how_to_start(acme, admin):
    assert "pact broker create-environment" in text(admin.get("/ui/environments"))


def test_settings_lists_only_what_the_person_may_open(world, admin, viewer):
    everything = [s.label for s in admin.get("/settings").context["sections"]]
    assert everything == [
        "My tokens",
        "Password",
        "Preferences",
        "Users",
        "System accounts",
        "Roles",
        "Teams",
        "Environments",
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
    assert "Preferences" in seen  # one's own; the organisation's part only for system_preference:manage


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

    assert 'href="/ui/applications/team/web"' in dashboard
    assert admin.get("/ui/applications/team/web").status_code == 200
    assert admin.get("/ui/pacts/provider/team/orders/consumer/team/web").status_code == 200
    assert admin.get("/ui/pacts/provider/team/orders/consumer/team/web/version/1").status_code == 200


def test_a_missing_page_is_styled_with_a_way_back(world, admin):
    for path in ("/ui/applications/Nope", "/ui/nothing-here"):
        response = admin.get(path)

        assert response.status_code == 404
        assert '<h1 id="error-title">Page not found</h1>' in text(response)
        assert '<a class="button" href="/dashboard">Go to the dashboard</a>' in text(response)
        assert 'aria-label="Main"' in text(response)  # the navigation is still there


def test_destructive_buttons_ask_for_confirmation(world, admin):
    tokens = text(admin.get("/account/tokens"))

    assert 'data-confirm="Regenerate the token' in tokens
    assert "js/confirm.js" in tokens
    assert 'data-confirm="Delete this webhook?"' in text(admin.get(f"/ui/webhooks/{world['webhook'].uuid}"))


def test_breadcrumbs_name_the_item(world, admin):
    page = text(admin.get("/ui/pacts/provider/Orders/consumer/Web"))

    assert '<a href="/ui/applications/Web">Web</a> › <span aria-current="page">Pact with Orders' in page
