"""/matrix, /can-i-deploy, their URL forms and badges over HTTP."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tests.support.factories import deploy, pact_publish, verification_publish, version_ensure


@pytest.fixture
def foo_bar(acme):
    """Foo 1 -> Bar: verified by Bar 10 (deployed to prod, tagged prod, on main) and failed by Bar 11."""
    with schema_context(acme.schema):
        version_ensure("Bar", "10", branch="main", tags=["prod"])
        pact_publish("Foo", "1", "Bar", branch="main", tags=["dev"])
        verification_publish("Foo", "1", "Bar", "10")
        verification_publish("Foo", "1", "Bar", "11", success=False)
        deploy("Bar", "10", "prod")
    return acme


def test_matrix_rows_and_summary_in_the_brokers_shape(foo_bar):
    response = foo_bar.client().get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&environment=prod")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/hal+json")
    body = response.json()
    assert body["summary"] == {
        "deployable": True,
        "reason": "All required verification results are published and successful",
        "success": 1,
        "failed": 0,
        "unknown": 0,
    }
    assert body["notices"] == [{"type": "success", "text": body["summary"]["reason"]}]
    [row] = body["matrix"]
    host = f"http://{foo_bar.host}"
    assert row["consumer"]["name"] == "Foo"
    assert row["consumer"]["version"]["number"] == "1"
    assert row["consumer"]["version"]["branch"] == "main"
    assert row["consumer"]["version"]["tags"][0]["name"] == "dev"
    assert row["consumer"]["version"]["_links"]["self"]["href"] == f"{host}/pacticipants/Foo/versions/1"
    assert row["provider"]["version"]["number"] == "10"
    assert row["provider"]["version"]["environments"][0]["name"] == "prod"
    assert row["provider"]["version"]["branchVersions"][0] == {
        "name": "main",
        "latest": True,
        "_links": {
            "self": {
                "href": f"{host}/pacticipants/Bar/branches/main/versions/10",
                "name": "main",
                "title": "Branch version",
            }
        },
    }
    assert row["pact"]["_links"]["self"]["href"] == f"{host}/pacts/provider/Bar/consumer/Foo/version/1"
    assert row["verificationResult"]["success"] is True
    assert "/metadata/Y3ZuPTE/verification-results/" in row["verificationResult"]["_links"]["self"]["href"]


def test_unknown_deployability_is_json_null(foo_bar):
    with schema_context(foo_bar.schema):
        pact_publish("Foo", "2", "Bar", content={"interactions": [{"description": "new"}]})

    body = foo_bar.client().get("/can-i-deploy?pacticipant=Foo&version=2&environment=prod").json()

    assert body["summary"]["deployable"] is None
    assert (
        '"deployable":null'
        in foo_bar.client().get("/can-i-deploy?pacticipant=Foo&version=2&environment=prod").content.decode()
    )


def test_matrix_as_text(foo_bar):
    response = foo_bar.client().get("/matrix?q[][pacticipant]=Foo&q[][pacticipant]=Bar", HTTP_ACCEPT="text/plain")

    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("CONSUMER | C_VERSION | REVISION | PROVIDER | P_VERSION | NUMBER | SUCCESS\n")
    assert "Foo      | 1         | 1        | Bar      | 11" in text
    assert "\n\nDeployable: false\nReason: " in text


def test_matrix_validation_errors_are_a_list(foo_bar):
    client = foo_bar.client()

    assert client.get("/matrix").json() == {"errors": ["Please provide 1 or more version selectors."]}
    assert client.get("/matrix?q[][pacticipant]=Nope").json() == {"errors": ["Pacticipant Nope not found"]}
    assert client.get("/matrix?q[][pacticipant]=Foo&environment=nope").json() == {
        "errors": ["Environment with name 'nope' does not exist"]
    }
    assert client.get("/matrix?q[][pacticipant]=Foo&limit=0").json() == {"errors": ["The limit must be 1 or greater."]}
    assert client.get("/matrix?q[][pacticipant]=Foo&q[][version]=1&q[][latest]=true").status_code == 400


def test_can_i_deploy_validation(foo_bar):
    client = foo_bar.client()

    missing = client.get("/can-i-deploy?pacticipant=Foo")
    both = client.get("/can-i-deploy?pacticipant=Foo&version=1&environment=prod&to=prod")

    assert missing.status_code == 400
    assert missing.json() == {"errors": {"version": ["is missing"]}}
    assert both.status_code == 400


def test_can_i_deploy_to_a_tag_and_ignoring(foo_bar):
    client = foo_bar.client()

    to_tag = client.get("/can-i-deploy?pacticipant=Foo&version=1&to=prod").json()
    ignoring = client.get("/can-i-deploy?pacticipant=Foo&version=1&environment=prod&ignore[]=Bar").json()

    assert to_tag["summary"]["deployable"] is True
    assert ignoring["summary"]["ignored"] == 1
    assert ignoring["matrix"][0]["ignored"] is True


def test_tag_to_tag_and_branch_to_environment_url_forms(foo_bar):
    client = foo_bar.client()

    tag_form = client.get("/pacticipants/Foo/latest-version/dev/can-i-deploy/to/prod")
    branch_form = client.get("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/prod")

    assert tag_form.status_code == 200 and tag_form.json()["summary"]["deployable"] is True
    assert branch_form.status_code == 200 and branch_form.json()["summary"]["deployable"] is True
    assert client.get("/pacticipants/Foo/latest-version/nope/can-i-deploy/to/prod").status_code == 404
    assert (
        client.get("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/nope").status_code == 404
    )


def test_badges_are_svg_when_drawn_locally(foo_bar, settings):
    settings.BADGE_PROVIDER_MODE = "local"
    client = foo_bar.client()

    ok = client.get("/pacticipants/Foo/latest-version/dev/can-i-deploy/to/prod/badge")
    env = client.get("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/prod/badge")
    merge = client.get("/pacticipants/Foo/main-branch/can-i-merge/badge")
    missing = client.get("/pacticipants/Nope/latest-version/dev/can-i-deploy/to/prod/badge")

    assert ok["Content-Type"].startswith("image/svg+xml")
    assert "dev to prod" in ok.content.decode() and "#4c1" in ok.content.decode()
    assert "main to prod" in env.content.decode()
    assert "can-i-merge" in merge.content.decode()
    assert "not found" in missing.content.decode()


def test_matrix_for_consumer_and_provider(foo_bar):
    client = foo_bar.client()

    body = client.get("/matrix/provider/Bar/consumer/Foo").json()

    assert len(body["matrix"]) == 2
    assert client.get("/matrix/provider/Nope/consumer/Foo").status_code == 404


def test_can_i_deploy_request_stays_within_its_query_budget(foo_bar):
    client = foo_bar.client()
    client.get("/can-i-deploy?pacticipant=Foo&version=1&environment=prod")  # warm the tenant cache

    with CaptureQueriesContext(connection) as queries:
        client.get("/can-i-deploy?pacticipant=Foo&version=1&environment=prod")

    matrix_statements = [q for q in queries.captured_queries if "WITH " in q["sql"]]
    assert len(matrix_statements) == 3
    # plus authentication (token lookup) and tenant routing, which every API request pays
    assert len(queries.captured_queries) <= 8


def test_the_outsider_cannot_query_acmes_matrix(foo_bar, outsider):
    assert outsider.client().get("/matrix?q[][pacticipant]=Foo").json() == {"errors": ["Pacticipant Foo not found"]}
    assert foo_bar.client().get("/matrix?q[][pacticipant]=Foo", HTTP_HOST=outsider.host).status_code == 401


def test_matrix_explain_command_prints_the_plans_of_the_three_statements(foo_bar):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "matrix_explain",
        schema=foo_bar.schema,
        pacticipant="Foo",
        pacticipant_version="1",
        environment="prod",
        stdout=out,
    )

    assert out.getvalue().count("-- statement") == 3


def test_badges_are_the_brokers_redirects_to_shields_io_by_default(foo_bar):
    client = foo_bar.client()

    ok = client.get("/pacticipants/Foo/latest-version/dev/can-i-deploy/to/prod/badge")
    missing = client.get("/pacticipants/Nope/latest-version/dev/can-i-deploy/to/prod/badge")

    assert ok.status_code == 307
    assert ok["Location"] == "https://img.shields.io/badge/can--i--deploy-dev%20to%20prod-brightgreen.svg"
    assert missing["Location"] == "https://img.shields.io/badge/pacticipant-not%20found-lightgrey.svg"


def test_badges_need_a_token_unless_public_badge_access_is_on(foo_bar, settings):
    settings.BADGE_PROVIDER_MODE = "local"
    anonymous = foo_bar.client(token="")
    badge = "/pacticipants/Foo/latest-version/dev/can-i-deploy/to/prod/badge"

    assert anonymous.get(badge).status_code == 401
    settings.BROKER_ENABLE_PUBLIC_BADGE_ACCESS = True
    assert anonymous.get(badge).status_code == 200
