"""A pact URL asked for by a browser (Accept: text/html) renders the contract page; API clients,
including the HAL browser's text/html+json Accept, keep getting JSON (shared reference §2.1, §2.7)."""

import pytest
from django_tenants.utils import schema_context

from tests.support.pacts import contract, contracts_post, pact_fixture, pact_put

BASE = "/pacts/provider/Bar/consumer/Foo"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def pacts(acme):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"), version="1")
    contracts_post(client, contract(pact_fixture("foo-bar-changed")), version="2", tags=["prod"], branch="main")
    return client.get(f"{BASE}/version/1").json()


@pytest.fixture
def browser(acme):
    client = acme.browser()
    with schema_context(acme.schema):
        client.force_login(acme.admin)
    return client


def _page(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    return response.content.decode()


def test_a_browser_gets_the_contract_page_of_the_consumer_version(pacts, browser):
    page = _page(browser.get(f"{BASE}/version/1", HTTP_ACCEPT=BROWSER))

    assert "a request for things" in page and "The pact as published" in page
    assert "Foo" in page and "Bar" in page


@pytest.mark.parametrize(
    "path, version",
    [
        (f"{BASE}/latest", "2"),
        (f"{BASE}/latest/prod", "2"),
        (f"{BASE}/branch/main/latest", "2"),
        (f"{BASE}/version/1", "1"),
    ],
)
def test_every_pact_url_renders_the_pact_it_resolves_to(pacts, browser, path, version):
    page = _page(browser.get(path, HTTP_ACCEPT="text/html"))

    assert f'<dt>Consumer version</dt><dd><span class="version">{version}</span></dd>' in page


def test_the_pact_version_permalink_renders_too(pacts, browser):
    sha = pacts["_links"]["pb:pact-version"]["name"]

    page = _page(browser.get(f"{BASE}/pact-version/{sha}", HTTP_ACCEPT="text/html"))

    assert '<dt>Consumer version</dt><dd><span class="version">1</span></dd>' in page


def test_a_bearer_token_with_accept_text_html_gets_the_page(acme, pacts):
    page = _page(acme.client(token=acme.read_token).get(f"{BASE}/version/1", HTTP_ACCEPT="text/html"))

    assert "a request for things" in page


@pytest.mark.parametrize(
    "accept",
    [
        "application/hal+json",
        "application/json",
        "*/*",
        "",
        # the HAL browser's Accept: text/html *and* json stays the API
        "text/html,application/hal+json;q=0.9",
    ],
)
def test_api_clients_keep_getting_json(acme, pacts, accept):
    response = acme.client().get(f"{BASE}/version/1", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(("application/hal+json", "application/json"))
    assert response.json()["consumer"] == {"name": "Foo"}


def test_a_browser_that_is_not_signed_in_is_sent_to_sign_in_and_back(acme, pacts):
    response = acme.browser().get(f"{BASE}/version/1", HTTP_ACCEPT=BROWSER)

    assert response.status_code == 302
    assert "/login" in response["Location"] and "next=/pacts/provider/Bar/consumer/Foo/version/1" in response[
        "Location"
    ].replace("%2F", "/")


def test_an_unknown_pact_is_an_html_404_for_browsers_and_json_for_clients(acme, pacts, browser):
    page = browser.get(f"{BASE}/version/9", HTTP_ACCEPT=BROWSER)
    api = acme.client().get(f"{BASE}/version/9")

    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
    assert api.status_code == 404 and "error" in api.json()


def test_an_outsider_sees_nothing(outsider, pacts):
    response = outsider.client(token=outsider.token).get(f"{BASE}/version/1", HTTP_ACCEPT="text/html")

    assert response.status_code == 404


def test_publishing_still_answers_json_to_a_browser_like_accept(acme):
    response = acme.client().put(
        f"{BASE}/version/1", data=pact_fixture("foo-bar"), content_type="application/json", HTTP_ACCEPT="text/html"
    )

    assert response.status_code == 201
    assert response.json()["consumer"] == {"name": "Foo"}
