"""A webhook editor can use `${user.NAME}` secrets without being able to read them.

The editor (the built-in "User" role: webhook:manage and secret:manage for its teams only) of acme
builds webhooks of its team (the Default one), using the team's secrets,
that put the secret in a header, the password (Basic auth), the URL's path, query and port, and
the JSON body; runs them through every way a rendered request can come back (the saved and the
unsaved execute endpoints, the UI's Test button, a real triggered delivery and its logs), with a
receiver that echoes the secret back and with failing ones (closed port, a port that is no
number). The secret's value, in any encoding, never appears in a response or in the application
log records; the organisation's other members and other organisations cannot run or read any of it.
"""

import base64
import json
import logging
from urllib.parse import quote, quote_plus

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services as account_services
from apps.webhooks.models import TriggeredWebhook
from config.celery import app as celery_app
from tests.support.pacts import pact_fixture, pact_put
from tests.support.receiver import Receiver
from tests.webhooks import conftest as webhook_fixtures

pytestmark = pytest.mark.django_db
local_webhooks = webhook_fixtures.local_webhooks

SECRET = 'Zq9"tok/en+=&\u00fc~x'  # quote, slash, plus, equals, ampersand and a non-ASCII letter
PASSWORD = "correct-horse-battery"


def forms(value: str) -> list[str]:
    raw = value.encode()
    return [
        value,
        quote(value, safe=""),
        quote(value),
        quote_plus(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        base64.b64encode(raw).decode().rstrip("="),
        base64.b64encode(f"ci:{value}".encode()).decode(),
    ]


def assert_no_secret(text: str, *values: str) -> None:
    for value in values:
        for form in forms(value):
            assert form not in text, f"secret form {form!r} leaked"


@pytest.fixture
def editor(acme):
    """A member who may manage webhooks but not secrets, with a read-write token."""
    with schema_context(acme.schema):
        user = account_services.user_create(
            email="editor@acme.example", name="editor", password=PASSWORD, email_confirmed=True
        )
        _, token = account_services.token_create(user=user, name="rw", read_only=False)
    return user, token


@pytest.fixture
def echo(local_webhooks):
    """A receiver that echoes the secret back in its body (shown, since 127.0.0.1 is whitelisted)."""
    server = Receiver(response_body=json.dumps({"you sent": SECRET}))
    yield server
    server.stop()


TEAM = {}


@pytest.fixture(autouse=True)
def default_team(acme):
    """The editor's team: webhooks and secrets of the tests belong to it (PactFlow's teamUuid)."""
    from apps.accounts.models import Team

    with schema_context(acme.schema):
        TEAM["uuid"] = str(Team.objects.get(name="Default").uuid)
    return TEAM["uuid"]


@pytest.fixture
def secrets_made(acme, echo):
    admin = acme.client()
    for name, value in (("TOKEN", SECRET), ("PORT", str(echo.port)), ("BAD_PORT", "not-a-port")):
        body = {"name": name, "value": value, "teamUuid": TEAM["uuid"]}
        assert admin.post("/secrets", body, content_type="application/json").status_code == 201
    return admin


def webhook_body(url: str, **request) -> dict:
    return {
        "teamUuid": TEAM["uuid"],
        "description": "uses secrets",
        "events": [{"name": "contract_published"}],
        "request": {
            "method": "POST",
            "url": url,
            "headers": {"Content-Type": "application/json", "X-Leak": "${user.TOKEN}", "X-Api-Token": "${user.TOKEN}"},
            "username": "ci",
            "password": "${user.TOKEN}",
            "body": {"token": "${user.TOKEN}", "consumer": "${pactbroker.consumerName}"},
            **request,
        },
    }


def secret_url(echo) -> str:
    return "http://127.0.0.1:${user.PORT}/hooks/${user.TOKEN}?token=${user.TOKEN}&c=${pactbroker.consumerName}"


def test_the_editor_cannot_manage_team_less_secrets_and_their_list_holds_no_value(acme, editor, secrets_made):
    client = acme.client(editor[1])

    listing = client.get("/secrets")
    refused = client.post("/secrets", {"name": "MINE", "value": "x"}, content_type="application/json")

    assert listing.status_code == 200 and refused.status_code == 403
    assert [s["name"] for s in listing.json()["_embedded"]["secrets"]] == ["BAD_PORT", "PORT", "TOKEN"]
    assert_no_secret(listing.content.decode(), SECRET)


def test_execute_endpoints_never_return_the_secret(acme, editor, echo, secrets_made, caplog):
    caplog.set_level(logging.DEBUG)
    client = acme.client(editor[1])
    created = client.post("/webhooks", webhook_body(secret_url(echo)), content_type="application/json")
    assert created.status_code == 201, created.content
    uuid = created.json()["_links"]["self"]["href"].rsplit("/", 1)[1]

    saved = client.post(f"/webhooks/{uuid}/execute")
    unsaved = client.post("/webhooks/execute", webhook_body(secret_url(echo)), content_type="application/json")

    for answer in (saved, unsaved):
        assert answer.status_code == 200
        result = answer.json()
        assert result["success"] is True
        assert result["request"]["headers"]["X-Leak"] == "********"
        assert result["request"]["headers"]["X-Api-Token"] == "********"
        assert result["request"]["url"] == (
            "http://127.0.0.1:********/hooks/********?token=********&c=placeholder-consumer"
        )
        assert json.loads(result["request"]["body"]) == {"token": "********", "consumer": "placeholder-consumer"}
        assert result["response"]["status"] == 200
        assert json.loads(result["response"]["body"]) == {"you sent": "********"}
        assert_no_secret(answer.content.decode(), SECRET, str(echo.port))
    # The receiver did get the real values: redaction is on the way back only.
    received = echo.requests[0]
    assert received.headers["X-Leak"].encode("latin-1").decode() == SECRET
    assert received.path == f"/hooks/{quote_plus(SECRET)}?token={quote_plus(SECRET)}&c=placeholder-consumer"
    assert_no_secret(caplog.text, SECRET, str(echo.port))


@pytest.mark.parametrize(
    "url, error",
    [
        (
            "http://127.0.0.1:${user.BAD_PORT}/x?t=${user.TOKEN}",
            "Invalid URL: the port is not a number from 0 to 65535.",
        ),
        (
            "http://127.0.0.1:1/${user.TOKEN}?t=${user.TOKEN}",
            "Request failed: ConnectionRefusedError - Connection refused",
        ),
    ],
)
def test_failing_requests_never_return_or_log_the_secret(acme, editor, secrets_made, url, error, caplog):
    caplog.set_level(logging.DEBUG)
    client = acme.client(editor[1])

    answer = client.post("/webhooks/execute", webhook_body(url), content_type="application/json")

    assert answer.status_code == 200
    assert answer.json()["success"] is False and answer.json()["error"] == {"message": error}
    assert_no_secret(answer.content.decode(), SECRET, "not-a-port")
    assert_no_secret(caplog.text, SECRET, "not-a-port")


def test_a_secret_in_the_url_user_info_is_refused_without_echoing_it(acme, editor, secrets_made, caplog):
    caplog.set_level(logging.DEBUG)
    client = acme.client(editor[1])

    for path in ("/webhooks", "/webhooks/execute"):
        answer = client.post(path, webhook_body("http://ci:${user.TOKEN}@127.0.0.1/x"), content_type="application/json")
        assert answer.status_code == 400
        assert answer.json()["errors"]["request.url"] == [
            "must not contain credentials; use the request's username and password"
        ]
        assert_no_secret(answer.content.decode(), SECRET)
    assert_no_secret(caplog.text, SECRET)


def test_the_ui_test_button_never_shows_the_secret(acme, editor, echo, secrets_made, caplog):
    caplog.set_level(logging.DEBUG)
    created = acme.client(editor[1]).post("/webhooks", webhook_body(secret_url(echo)), content_type="application/json")
    uuid = created.json()["_links"]["self"]["href"].rsplit("/", 1)[1]
    browser = Client(HTTP_HOST=acme.host, HTTP_ACCEPT="text/html")
    with schema_context(acme.schema):
        browser.force_login(editor[0])

    for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
        page = browser.post(f"/ui/webhooks/{uuid}/test", **extra)
        assert page.status_code == 200
        html = page.content.decode()
        assert "succeeded" in html and "********" in html
        assert_no_secret(html, SECRET, str(echo.port))
        # The page escapes HTML: the escaped forms of the value must not be there either.
        assert_no_secret(html.replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'"), SECRET)
    assert_no_secret(caplog.text, SECRET, str(echo.port))


def test_a_triggered_delivery_stores_and_shows_only_redacted_logs(
    acme, outsider, editor, echo, secrets_made, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(celery_app.conf, "task_always_eager", True)  # the event and delivery tasks run here
    client = acme.client(editor[1])
    assert client.post("/webhooks", webhook_body(secret_url(echo)), content_type="application/json").status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert pact_put(acme.client(), pact_fixture("foo-bar"), version="1").status_code == 201
    with schema_context(acme.schema):
        triggered = TriggeredWebhook.objects.get()
        assert triggered.status == "success"
        stored = triggered.executions.get()
    assert echo.requests[-1].headers["X-Leak"].encode("latin-1").decode() == SECRET

    logs_url = f"/triggered-webhooks/{triggered.uuid}/logs"
    as_json = client.get(logs_url)
    as_text = client.get(logs_url, HTTP_ACCEPT="text/plain")
    listing = client.get("/pacts/provider/Bar/consumer/Foo/version/1/triggered-webhooks")
    status = client.get("/pacts/provider/Bar/consumer/Foo/webhooks/status")
    for answer in (as_json, as_text, listing, status):
        assert answer.status_code == 200
        assert_no_secret(answer.content.decode(), SECRET, str(echo.port))
    text = as_text.content.decode()
    assert "X-Leak: ********" in text and "Authorization: ********" in text
    assert '{"you sent": "********"}' in text
    assert_no_secret(stored.logs + stored.error, SECRET, str(echo.port))
    assert_no_secret(caplog.text, SECRET, str(echo.port))

    # Nobody outside the organisation, and nobody without a credential, runs or reads any of it.
    webhook_uuid = triggered.webhook_uuid
    anonymous = Client(HTTP_HOST=acme.host)
    foreign_token_here = acme.client(outsider.token)
    outsider_home = outsider.client()
    for who in (anonymous, foreign_token_here):
        assert who.get(logs_url).status_code == 401
        assert who.post(f"/webhooks/{webhook_uuid}/execute").status_code == 401
        assert who.get(f"/webhooks/{webhook_uuid}").status_code == 401
    assert outsider_home.get(logs_url).status_code == 404
    assert outsider_home.post(f"/webhooks/{webhook_uuid}/execute").status_code == 404
    assert outsider_home.get(f"/webhooks/{webhook_uuid}").status_code == 404


def test_a_viewer_of_the_organisation_cannot_execute_a_webhook(acme, secrets_made, echo):
    with schema_context(acme.schema):
        viewer = account_services.user_create(
            email="viewer@acme.example",
            name="viewer",
            password=PASSWORD,
            email_confirmed=True,
            roles=[account_services.builtin_role("viewer")],
        )
        _, token = account_services.token_create(user=viewer, name="rw", read_only=False)
    created = acme.client().post("/webhooks", webhook_body(secret_url(echo)), content_type="application/json")
    uuid = created.json()["_links"]["self"]["href"].rsplit("/", 1)[1]

    answer = acme.client(token).post(f"/webhooks/{uuid}/execute")

    assert answer.status_code == 403 and echo.requests == []
