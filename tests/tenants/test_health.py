import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["localhost", "nobody.localhost", "10.1.2.3"])
def test_healthz_answers_on_any_host(client, host):
    response = client.get("/healthz", HTTP_HOST=host)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_database_and_broker_are_reachable(client):
    response = client.get("/readyz", HTTP_HOST="localhost")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "celery_broker": True, "migrations": True}


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_unreachable(client):
    from config.celery import app

    original = app.conf.broker_url, app.conf.broker_write_url
    app.conf.broker_url = app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/readyz", HTTP_HOST="localhost")
    finally:
        app.conf.broker_url, app.conf.broker_write_url = original

    assert response.status_code == 503
    assert response.json()["checks"]["celery_broker"] is False


@pytest.fixture
def migrations_not_yet_seen(monkeypatch):
    from tenants import health

    monkeypatch.setattr(health, "_migrations_complete", False)


@pytest.mark.django_db
def test_readyz_is_503_while_an_organisation_misses_a_migration(client, acme, migrations_not_yet_seen):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{acme.schema}".django_migrations WHERE app = %s '
            f'AND name = (SELECT max(name) FROM "{acme.schema}".django_migrations WHERE app = %s)',
            ["contracts", "contracts"],
        )

    response = client.get("/readyz", HTTP_HOST="localhost")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "celery_broker": True, "migrations": False},
    }


@pytest.mark.django_db
def test_readyz_is_503_while_the_public_schema_misses_a_migration(client, migrations_not_yet_seen):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM public.django_migrations WHERE app = 'tenants'")

    response = client.get("/readyz", HTTP_HOST="localhost")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] is False


@pytest.mark.django_db
def test_readyz_stops_asking_once_migrations_are_complete(
    client, migrations_not_yet_seen, django_assert_max_num_queries
):
    assert client.get("/readyz", HTTP_HOST="localhost").status_code == 200

    with django_assert_max_num_queries(2):  # SELECT 1 (and the search path), no migration reads
        assert client.get("/readyz", HTTP_HOST="localhost").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["localhost", "acme.localhost", "10.1.2.3"])
def test_heartbeat_answers_as_the_pact_broker_does_on_any_host(client, acme, host):
    response = client.get("/diagnostic/status/heartbeat", HTTP_HOST=host)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/hal+json"
    base = "" if host == "10.1.2.3" else f"http://{host}"
    assert response.json() == {"ok": True, "_links": {"self": {"href": f"{base}/diagnostic/status/heartbeat"}}}


@pytest.mark.django_db
def test_heartbeat_refuses_an_accept_it_cannot_produce_as_the_pact_broker_does(client, acme):
    response = client.get("/diagnostic/status/heartbeat", HTTP_HOST=acme.host, HTTP_ACCEPT="application/json")

    assert response.status_code == 406
    assert response.content == b""


@pytest.mark.django_db
def test_dependencies_report_the_database(client, acme):
    response = client.get("/diagnostic/status/dependencies", HTTP_HOST=acme.host)

    assert response.status_code == 200
    assert response.json() == {
        "database": {"ok": True},
        "_links": {"self": {"href": f"http://{acme.host}/diagnostic/status/dependencies"}},
    }


@pytest.mark.django_db
def test_dependencies_are_500_when_the_database_fails(client, monkeypatch):
    from tenants import health

    monkeypatch.setattr(health, "database_ready", lambda: False)

    response = client.get("/diagnostic/status/dependencies", HTTP_HOST="localhost")

    assert response.status_code == 500
    assert response.json()["database"] == {"ok": False}
