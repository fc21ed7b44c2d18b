"""Webhooks and Secrets pages: create and edit with the API's validation, test, delete, logs, and
who may do what."""

import pytest
from django_tenants.utils import schema_context

from apps.secrets.models import Secret
from apps.webhooks.models import Webhook
from tests.support.receiver import Receiver

pytestmark = pytest.mark.django_db

VALID = {
    "description": "Build the provider",
    "consumer": "",
    "consumer_label": "",
    "provider": "Orders",
    "provider_label": "",
    "events": ["contract_requiring_verification_published"],
    "method": "POST",
    "url": "https://ci.example.com/build",
    "headers": "Content-Type: application/json\nX-Token: abc",
    "body": '{"pact": "${pactbroker.pactUrl}"}',
    "username": "",
    "password": "hunter2",
    "enabled": "on",
}


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def local_webhooks(settings):
    settings.WEBHOOK_HOST_WHITELIST = ["127.0.0.1"]
    settings.WEBHOOK_SCHEME_WHITELIST = ["http", "https"]
    settings.WEBHOOK_TIMEOUT = 2.0
    settings.WEBHOOK_CONNECT_TIMEOUT = 2.0
    return settings


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


def test_a_webhook_is_created_from_the_form(acme, world, admin):
    response = admin.post("/ui/webhooks/new", VALID)

    assert response.status_code == 302
    with schema_context(acme.schema):
        webhook = Webhook.objects.get(description="Build the provider")
        assert webhook.provider.name == "Orders" and webhook.consumer is None
        assert webhook.headers == {"Content-Type": "application/json", "X-Token": "abc"}
        assert webhook.is_json_request_body and webhook.password == "hunter2"
    assert response["Location"] == f"/ui/webhooks/{webhook.uuid}"


def test_the_form_shows_the_apis_validation_messages_and_saves_nothing(acme, world, admin):
    response = admin.post(
        "/ui/webhooks/new", {**VALID, "url": "http://ci.example.com/build", "events": [], "provider_label": "backend"}
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "scheme" in " ".join(form.errors["url"])
    assert form.errors["events"] == ["size cannot be less than 1"]
    assert form.errors["provider_label"] == ["name and label cannot be provided at the same time"]
    with schema_context(acme.schema):
        assert not Webhook.objects.filter(description="Build the provider").exists()


def test_a_header_line_without_a_colon_is_refused(world, admin):
    response = admin.post("/ui/webhooks/new", {**VALID, "headers": "no colon here"})

    assert response.status_code == 400
    assert "Line 1 is not" in text(response)


def test_editing_keeps_the_password_and_masked_secret_headers(acme, world, admin):
    webhook = world["webhook"]
    page = text(admin.get(f"/ui/webhooks/{webhook.uuid}"))
    assert "s3cr3t-token" not in page  # the Authorization header value is masked
    assert "Authorization: **********" in page

    response = admin.post(
        f"/ui/webhooks/{webhook.uuid}",
        {**VALID, "description": "Renamed", "password": "", "headers": "Authorization: **********"},
    )

    assert response.status_code == 302
    with schema_context(acme.schema):
        webhook.refresh_from_db()
        assert webhook.description == "Renamed"
        assert webhook.headers == {"Authorization": "Bearer s3cr3t-token"}


def test_the_detail_page_shows_redacted_execution_logs(world, admin):
    page = text(admin.get(f"/ui/webhooks/{world['webhook'].uuid}"))

    assert "INFO: HTTP/1.1 POST https://ci.example.com/hooks/verify\n" in page
    assert "INFO: Authorization: ********\n" in page and "s3cr3t-token" not in page
    assert "INFO: HTTP/1.1 500\n" in page
    assert "Attempt 1: failed (HTTP 500)" in page and "Failed" in page


def test_testing_a_webhook_sends_it_now_and_shows_the_logs(acme, world, admin, local_webhooks, receiver):
    with schema_context(acme.schema):
        Webhook.objects.filter(pk=world["webhook"].pk).update(url=receiver.url("/verify"))

    response = admin.post(f"/ui/webhooks/{world['webhook'].uuid}/test", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "succeeded" in text(response) and "<html" not in text(response)
    [received] = receiver.requests
    assert received.path == "/verify"
    assert received.headers["Authorization"] == "Bearer s3cr3t-token"
    assert "s3cr3t-token" not in text(response)


def test_a_webhook_is_deleted(acme, world, admin):
    response = admin.post(f"/ui/webhooks/{world['webhook'].uuid}/delete")

    assert response.status_code == 302
    with schema_context(acme.schema):
        assert not Webhook.objects.exists()


def test_a_viewer_reads_webhooks_but_changes_nothing(acme, world, viewer):
    uuid = world["webhook"].uuid
    listing = text(viewer.get("/ui/webhooks"))
    assert "Verify changed pacts" in listing and "New webhook" not in listing
    detail = text(viewer.get(f"/ui/webhooks/{uuid}"))
    assert "Save webhook" not in detail and ">Test<" not in detail and ">Delete<" not in detail
    assert viewer.get("/ui/webhooks/new").status_code == 403
    assert viewer.post("/ui/webhooks/new", VALID).status_code == 403
    assert viewer.post(f"/ui/webhooks/{uuid}", VALID).status_code == 403
    assert viewer.post(f"/ui/webhooks/{uuid}/test").status_code == 403
    assert viewer.post(f"/ui/webhooks/{uuid}/delete").status_code == 403
    with schema_context(acme.schema):
        assert Webhook.objects.get(uuid=uuid).description == "Verify changed pacts"


def test_an_unknown_webhook_is_not_found(world, admin):
    assert admin.get("/ui/webhooks/nope-nope-nope-nope").status_code == 404
    assert admin.get("/ui/webhooks/test").status_code == 404  # "test" is a sub-path, not a webhook


def test_the_outsider_cannot_reach_acmes_webhook(world, outsider_admin):
    uuid = world["webhook"].uuid

    assert outsider_admin.get(f"/ui/webhooks/{uuid}").status_code == 404
    assert outsider_admin.post(f"/ui/webhooks/{uuid}/delete").status_code == 404


def test_a_secret_is_saved_and_only_its_name_is_ever_shown(acme, admin):
    response = admin.post(
        "/settings/secrets", {"name": "CI_TOKEN", "description": "Buildkite", "value": "very-secret-value"}
    )
    assert response.status_code == 302

    page = text(admin.get("/settings/secrets"))
    assert "CI_TOKEN" in page and "${user.CI_TOKEN}" in page
    assert "very-secret-value" not in page
    assert "CI_TOKEN" in text(admin.get("/ui/webhooks/new"))  # offered to webhook authors


def test_a_duplicate_secret_name_is_refused(acme, admin):
    admin.post("/settings/secrets", {"name": "CI_TOKEN", "value": "one"})

    response = admin.post("/settings/secrets", {"name": "CI_TOKEN", "value": "two"})

    assert response.status_code == 400
    assert "already exists" in text(response)


def test_a_secret_is_deleted(acme, admin):
    admin.post("/settings/secrets", {"name": "CI_TOKEN", "value": "one"})
    with schema_context(acme.schema):
        uuid = Secret.objects.get(name="CI_TOKEN").uuid

    admin.post("/settings/secrets", {"action": "delete", "secret": str(uuid)})

    with schema_context(acme.schema):
        assert not Secret.objects.exists()


def test_webhook_authors_see_their_teams_secrets_and_not_the_team_less_ones(acme, admin, user_member):
    from apps.accounts.models import Team

    with schema_context(acme.schema):
        default = str(Team.objects.get(name="Default").uuid)
    admin.post("/settings/secrets", {"name": "CI_TOKEN", "value": "one", "team": default})
    admin.post("/settings/secrets", {"name": "ADMINS_ONLY", "value": "two"})

    page = text(user_member.get("/settings/secrets"))
    assert "CI_TOKEN" in page and "ADMINS_ONLY" not in page
    refused = user_member.post("/settings/secrets", {"name": "X", "value": "y"})
    assert refused.status_code == 400
    assert "Only secret:manage:* manages secrets that belong to no team" in text(refused)


def test_viewers_cannot_see_secrets(acme, viewer):
    assert viewer.get("/settings/secrets").status_code == 403
