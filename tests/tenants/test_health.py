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
    assert response.json()["checks"] == {"database": True, "celery_broker": True}


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
