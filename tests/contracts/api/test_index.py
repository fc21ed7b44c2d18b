"""GET / : the broker's HAL index for API clients, the home page for browsers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.contracts.api.conftest import BASE

# §2.5 of the broker reference: rel -> (path, templated; None means the key is absent).
EXPECTED = {
    "pb:publish-pact": ("/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}", True),
    "pb:publish-contracts": ("/contracts/publish", False),
    "pb:latest-pact-versions": ("/pacts/latest", False),
    "pb:tagged-pact-versions": ("/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}", False),
    "pb:branch-pact-versions": ("/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}", True),
    "pb:latest-branch-pact-versions": (
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions",
        True,
    ),
    "pb:main-branch-pact-versions": ("/pacts/provider/{provider}/consumer/{consumer}/branch/versions", True),
    "pb:latest-main-branch-pact-versions": (
        "/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions",
        True,
    ),
    "pb:provider-pacts-with-main-branch": ("/pacts/provider/{provider}/branch", True),
    "pb:provider-pacts-with-branch": ("/pacts/provider/{provider}/branch/{branch}", True),
    "pb:latest-provider-pacts-with-main-branch": ("/pacts/provider/{provider}/branch/latest", True),
    "pb:latest-provider-pacts-with-branch": ("/pacts/provider/{provider}/branch/{branch}/latest", True),
    "pb:pacticipants": ("/pacticipants", False),
    "pb:pacticipant": ("/pacticipants/{pacticipant}", True),
    "pb:latest-provider-pacts": ("/pacts/provider/{provider}/latest", True),
    "pb:latest-provider-pacts-with-tag": ("/pacts/provider/{provider}/latest/{tag}", True),
    "pb:provider-pacts-with-tag": ("/pacts/provider/{provider}/tag/{tag}", True),
    "pb:provider-pacts": ("/pacts/provider/{provider}", True),
    "pb:latest-version": ("/pacticipants/{pacticipant}/latest-version", True),
    "pb:latest-tagged-version": ("/pacticipants/{pacticipant}/latest-version/{tag}", True),
    "pb:webhooks": ("/webhooks", False),
    "pb:webhook": ("/webhooks/{uuid}", True),
    "pb:integrations": ("/integrations", False),
    "pb:pacticipant-version-tag": ("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", True),
    "pb:pacticipant-branch": ("/pacticipants/{pacticipant}/branches/{branch}", True),
    "pb:pacticipant-branch-version": ("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}", True),
    "pb:pacticipant-version": ("/pacticipants/{pacticipant}/versions/{version}", True),
    "pb:metrics": ("/metrics", None),
    "pb:can-i-deploy-pacticipant-version-to-tag": (
        "/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}",
        True,
    ),
    "pb:can-i-deploy-pacticipant-version-to-environment": (
        "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
        True,
    ),
    "pb:provider-pacts-for-verification": ("/pacts/provider/{provider}/for-verification", True),
    "beta:provider-pacts-for-verification": ("/pacts/provider/{provider}/for-verification", True),
    "pb:environments": ("/environments", False),
    "pb:environment": ("/environments/{uuid}", True),
    "pf:publish-provider-contract": ("/provider-contracts/provider/{provider}/publish", True),  # PactFlow's
}


def test_index_advertises_every_broker_relation_with_its_href_template_and_title(api):
    links = api.get("/").json()["_links"]

    advertised = {rel: (link["href"], link.get("templated")) for rel, link in links.items() if rel in EXPECTED}
    assert advertised == {rel: (BASE + path, templated) for rel, (path, templated) in EXPECTED.items()}
    assert all(links[rel]["title"] for rel in EXPECTED)


def test_index_has_self_curies_and_nothing_unexpected(api):
    response = api.get("/")
    links = response.json()["_links"]

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/hal+json")
    assert links["self"] == {"href": BASE, "title": "Index", "templated": False}
    assert "templated" not in links["pb:metrics"]  # the broker leaves the key out
    assert links["beta:provider-pacts-for-verification"]["name"] == "beta"
    assert links["curies"] == [
        {"name": "pb", "href": BASE + "/doc/{rel}?context=index", "templated": True},
        {"name": "beta", "href": BASE + "/doc/{rel}?context=index", "templated": True},
    ]
    assert set(links) == set(EXPECTED) | {"self", "curies"}


def test_a_configured_public_base_url_overrides_the_request_host(api, settings):
    settings.PUBLIC_BASE_URL = "https://broker.example.com/"

    links = api.get("/").json()["_links"]

    assert links["self"]["href"] == "https://broker.example.com"
    assert links["pb:pacticipant"]["href"] == "https://broker.example.com/pacticipants/{pacticipant}"


def test_api_clients_get_the_hal_index_when_they_accept_hal(acme):
    for accept in ["", "*/*", "application/*", "application/hal+json", "application/json, application/hal+json"]:
        response = acme.client(HTTP_ACCEPT=accept).get("/") if accept else acme.client().get("/")

        assert response.status_code == 200, accept
        assert "pb:pacticipants" in response.json()["_links"], accept


def test_an_accept_the_index_cannot_produce_is_a_bodiless_406_as_the_broker(acme):
    # The broker's index produces application/hal+json only: even application/json is refused.
    for accept in ["application/json", "application/xml", "text/plain", "application/hal+json;q=0"]:
        response = acme.client(HTTP_ACCEPT=accept).get("/")

        assert response.status_code == 406, accept
        assert response.content == b""
        assert "Content-Type" not in response


def test_browsers_still_get_the_home_page(acme):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    anonymous = acme.browser().get("/", HTTP_ACCEPT=accept)
    browser = acme.browser()
    browser.force_login(acme.admin)
    signed_in = browser.get("/", HTTP_ACCEPT=accept)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login")
    assert signed_in.status_code == 200
    assert signed_in["Content-Type"].startswith("text/html")


def test_the_index_needs_credentials(acme):
    response = acme.client(token="").get("/", HTTP_ACCEPT="application/hal+json")

    assert response.status_code == 401


def test_the_index_costs_a_constant_small_number_of_queries(api, django_assert_max_num_queries):
    api.get("/")  # warm the tenant routing cache
    with CaptureQueriesContext(connection) as captured:
        api.get("/")
    with django_assert_max_num_queries(3):
        api.get("/")
    assert len(captured) <= 3


def test_a_browser_that_also_takes_hal_is_sent_to_the_hal_browser_as_by_the_broker(acme):
    response = acme.client(HTTP_ACCEPT="text/html,application/hal+json").get("/")
    page = acme.client(token="").get("/hal-browser/browser.html", HTTP_ACCEPT="text/html")

    assert (response.status_code, response["Location"], response.content) == (303, "/hal-browser/browser.html#/", b"")
    assert "Content-Type" not in response
    assert page.status_code == 200 and page["Content-Type"] == "text/html"
    assert b"js/hal-browser.js" in page.content and b"Foo" not in page.content


def test_the_curies_documentation_pages_are_html_only(acme):
    known = acme.client(HTTP_ACCEPT="text/html").get("/doc/pacticipants", {"context": "index"})
    unknown = acme.client(HTTP_ACCEPT="text/html").get("/doc/nope", {"context": "index"})
    as_text = acme.client(HTTP_ACCEPT="text/plain").get("/doc/pacticipants", {"context": "index"})

    assert (known.status_code, known["Content-Type"]) == (200, "text/html;charset=utf-8")
    assert b"<h1>pb:pacticipants</h1>" in known.content
    assert unknown.status_code == 200 and b"no documentation for the relation <code>nope</code>" in unknown.content
    assert (as_text.status_code, as_text.json()) == (
        404,
        {"error": "The requested document was not found on this server."},
    )
    assert acme.client(token="", HTTP_ACCEPT="text/html").get("/doc/pacticipants").status_code == 401


def test_the_test_error_route_answers_the_brokers_500_and_406_for_problem_json(acme):
    failed = acme.client().get("/test/error")
    refused = acme.client(HTTP_ACCEPT="application/problem+json").get("/test/error")

    assert failed.status_code == 500
    assert failed["Content-Type"] == "application/hal+json;charset=utf-8"
    assert failed.json()["error"]["message"].startswith("An error has occurred. The details have been logged")
    assert (refused.status_code, refused.content) == (406, b"")
