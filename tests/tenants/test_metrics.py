"""/-/metrics: Prometheus text, behind its own token, labels bounded (route names, no organisation)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.processes import free_port

TOKEN = "metrics-secret-token"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN
    return settings


def scrape(client, host="localhost"):
    response = client.get("/-/metrics", HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def sample(text: str, name: str, **labels) -> float | None:
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


@pytest.mark.django_db
def test_metrics_are_a_404_when_no_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/-/metrics", HTTP_HOST="localhost")

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", ["", "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_metrics_refuse_a_missing_or_wrong_token(client, metrics_on, authorization):
    response = client.get("/-/metrics", HTTP_HOST="localhost", HTTP_AUTHORIZATION=authorization)

    assert response.status_code == 401
    assert response.json() == {"error": {"message": "A valid metrics token is required."}}
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


@pytest.mark.django_db
def test_an_organisations_api_token_does_not_open_the_metrics(acme, metrics_on):
    response = acme.client().get("/-/metrics")

    assert response.status_code == 401


@pytest.mark.django_db
def test_requests_are_counted_per_route_name_not_per_url(acme, outsider, client, metrics_on):
    before = scrape(client)
    route = "/pacticipants/<pacticipant_name>"
    previous = sample(before, "broker_http_requests_total", route=route, method="GET", status="404") or 0

    acme.client().get("/pacticipants/Secret%20Service%20Name")
    outsider.client().get("/pacticipants/Another")

    text = scrape(client)
    assert sample(text, "broker_http_requests_total", route=route, method="GET", status="404") == previous + 2
    assert sample(text, "broker_http_request_duration_seconds_count", route=route, method="GET") >= 2
    assert sample(text, "broker_http_request_db_statements_count", route=route) >= 2
    # Bounded labels: no raw path, no organisation.
    assert "Secret" not in text and "Another" not in text
    assert "acme" not in text and "globex" not in text


@pytest.mark.django_db
def test_an_unknown_host_is_counted_as_unresolved(client, metrics_on):
    client.get("/anything/at/all", HTTP_HOST="nobody.localhost")

    text = scrape(client)
    assert sample(text, "broker_http_requests_total", route="<unresolved>", status="404") >= 1
    assert "anything" not in text


@pytest.mark.django_db
def test_an_unhandled_exception_is_counted_as_an_error_of_its_route(client, metrics_on, rf):
    from django.urls import resolve

    from tenants.metrics import MetricsMiddleware

    request = rf.get("/integrations")
    request.resolver_match = resolve("/integrations", urlconf="config.urls_tenant")

    def boom(request):
        raise RuntimeError("boom")

    before = sample(scrape(client), "broker_http_request_errors_total", route="/integrations", method="GET") or 0
    with pytest.raises(RuntimeError):
        MetricsMiddleware(boom)(request)

    text = scrape(client)
    assert sample(text, "broker_http_request_errors_total", route="/integrations", method="GET") == before + 1
    assert sample(text, "broker_http_requests_total", route="/integrations", method="GET", status="500") >= 1


@pytest.mark.django_db
def test_platform_gauges_count_organisations_tokens_spares_and_the_queue(acme, outsider, client, metrics_on):
    text = scrape(client)

    assert sample(text, "broker_organisations", plan="developer") >= 2
    assert sample(text, "broker_api_tokens_active") >= 4  # each org's admin has a rw and a ro token
    assert sample(text, "broker_spare_schemas") is not None
    assert sample(text, "broker_spare_schemas_wanted") == 0  # the suite turns the pool off
    assert sample(text, "broker_celery_queue_depth") is not None


@pytest.mark.django_db
def test_a_revoked_token_is_not_active(acme, client, metrics_on):
    from django.core.cache import cache
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.accounts.models import ApiToken

    before = sample(scrape(client), "broker_api_tokens_active")
    with schema_context(acme.schema):
        revoked = ApiToken.objects.filter(user=acme.admin).update(revoked_at=timezone.now())
    cache.clear()  # the gauges are cached for METRICS_PLATFORM_CACHE_SECONDS

    assert revoked >= 2
    assert sample(scrape(client), "broker_api_tokens_active") == before - revoked


@pytest.mark.django_db
def test_task_runs_and_failures_are_counted_per_task(client, metrics_on):
    from config.celery import app

    @app.task(name="tests.metrics_fails")
    def fails():
        raise ValueError("no")

    from tenants.tasks import spares_fill

    spares_fill.apply()
    fails.apply()

    text = scrape(client)
    assert sample(text, "broker_celery_tasks_total", task="tenants.spares_fill", outcome="success") >= 1
    assert sample(text, "broker_celery_tasks_total", task="tests.metrics_fails", outcome="failure") >= 1
    assert sample(text, "broker_celery_task_duration_seconds_count", task="tenants.spares_fill") >= 1


@pytest.mark.django_db
def test_gunicorn_workers_are_summed_in_multiprocess_mode(tmp_path):
    """Two gunicorn worker processes, one scrape: every request of both is counted once."""
    from django.db import connection

    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "BROKER_DEVELOPMENT": "true",
        "DATABASE_URL": f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "METRICS_TOKEN": TOKEN,
        "WEB_WORKERS": "2",
        "WEB_THREADS": "1",
        "LOG_LEVEL": "WARNING",
    }
    (tmp_path / "stale_123.db").write_bytes(b"")  # left by a previous run: removed at start
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/healthz", headers={"Host": "localhost"}, timeout=15)
                break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        from concurrent.futures import ThreadPoolExecutor

        def metrics():
            return requests.get(
                f"{base}/-/metrics", headers={"Host": "localhost", "Authorization": f"Bearer {TOKEN}"}, timeout=10
            ).text

        time.sleep(1)  # a warm-up request that timed out is still counted once answered
        before = sample(metrics(), "broker_http_requests_total", route="healthz", status="200")

        def hit(_):
            return requests.get(
                f"{base}/healthz", headers={"Host": "localhost", "Connection": "close"}, timeout=10
            ).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(hit, range(40))) == {200}
        pids = {name.split("_")[-1] for name in os.listdir(tmp_path) if name.startswith("counter_")}
        text = metrics()
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    assert not (tmp_path / "stale_123.db").exists()
    assert 1 <= len(pids) <= 2, pids  # one sample file per worker process that answered
    assert sample(text, "broker_http_requests_total", route="healthz", status="200") == before + 40
    assert "# TYPE broker_organisations gauge" in text  # read from the database at scrape time


@pytest.mark.django_db
def test_server_timing_is_sent_only_when_switched_on(acme, settings):
    assert "Server-Timing" not in acme.client().get("/", HTTP_ACCEPT="application/hal+json").headers

    settings.SERVER_TIMING = True
    response = acme.client().get("/pacticipants", HTTP_ACCEPT="application/hal+json")

    assert response.status_code == 200
    app, cpu, sql = response["Server-Timing"].split(", ")
    assert app.startswith("app;dur=") and cpu.startswith("cpu;dur=")
    assert int(sql.removeprefix('sql;desc="').rstrip('"')) >= 2  # the token lookup and the list at least
