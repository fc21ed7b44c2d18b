import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_bare_domain_serves_the_public_site(client):
    response = client.get("/", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert "Create your organisation" in response.content.decode()


@pytest.mark.django_db
def test_tenant_subdomain_serves_that_organisation(acme):
    response = acme.browser().get("/login")

    assert response.status_code == 200
    assert "Sign in to Acme Corp" in response.content.decode()


@pytest.mark.django_db
def test_port_in_host_is_ignored_for_routing(acme, client):
    response = client.get("/login", HTTP_HOST=f"{acme.host}:8000")

    assert response.status_code == 200
    assert "Acme Corp" in response.content.decode()


@pytest.mark.django_db
def test_unknown_subdomain_is_a_json_404_for_api_clients(client, acme):
    response = client.get("/", HTTP_HOST="nobody.localhost", HTTP_ACCEPT="application/hal+json")

    assert response.status_code == 404
    assert response.json() == {"error": {"message": "There is no organisation at nobody.localhost."}}


@pytest.mark.django_db
def test_unknown_subdomain_is_an_html_404_for_browsers(client, acme):
    response = client.get("/login", HTTP_HOST="nobody.localhost", HTTP_ACCEPT="text/html")

    assert response.status_code == 404
    assert "Organisation not found" in response.content.decode()
    assert "Acme" not in response.content.decode()


@pytest.mark.django_db
def test_host_outside_base_domain_is_refused(client, acme):
    response = client.get("/", HTTP_HOST="acme.evil.example")

    assert response.status_code == 400


@pytest.mark.django_db
def test_tenant_routing_costs_no_query_on_a_cache_hit_and_one_search_path(acme):
    client = acme.browser()
    client.post("/login", {"username": "admin@acme.example", "password": "correct-horse-battery"})
    client.get("/")  # warm the host cache

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert response.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries]
    assert sum(s.startswith("SET search_path") for s in statements) == 1
    assert not any("tenants_domain" in s for s in statements)
    assert any("django_session" in s for s in statements)  # the request did reach the tenant's tables


@pytest.mark.django_db
def test_deleting_a_domain_invalidates_the_cached_route(acme, client):
    client.get("/login", HTTP_HOST=acme.host)
    acme.tenant.domains.all().delete()

    response = client.get("/login", HTTP_HOST=acme.host, HTTP_ACCEPT="application/json")

    assert response.status_code == 404


@pytest.mark.django_db
def test_responses_carry_a_request_id(client):
    response = client.get("/", HTTP_HOST="localhost", HTTP_X_REQUEST_ID="abc-123")

    assert response["X-Request-ID"] == "abc-123"
