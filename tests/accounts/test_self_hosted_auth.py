"""Self-hosted mode: the OSS broker's basic-auth users from the environment, and public read."""

import base64

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from apps.accounts.permissions import BrokerPermission, Perm


class BrokerLikeView(APIView):
    """Stands in for a broker API view of another app (they all use BrokerPermission)."""

    permission_classes = [BrokerPermission]
    required_permissions = {"PUT": Perm.CONTRACT_DATA_MANAGE, "POST": Perm.USER_MANAGE}

    def get(self, request):
        return Response({"ok": True})

    def put(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


@pytest.fixture
def self_hosted(db, settings):
    settings.SINGLE_TENANT = True
    settings.ALLOWED_HOSTS = ["*"]
    settings.PACT_BROKER_BASIC_AUTH_USERNAME = "writer"
    settings.PACT_BROKER_BASIC_AUTH_PASSWORD = "write-pass"
    settings.PACT_BROKER_BASIC_AUTH_READ_ONLY_USERNAME = "reader"
    settings.PACT_BROKER_BASIC_AUTH_READ_ONLY_PASSWORD = "read-pass"
    call_command("broker_setup", verbosity=0)
    return settings


def _basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _call(method, auth=None):
    factory = APIRequestFactory()
    request = (
        getattr(factory, method)("/pacts", HTTP_AUTHORIZATION=auth) if auth else getattr(factory, method)("/pacts")
    )
    return BrokerLikeView.as_view()(request)


def test_the_read_write_basic_user_reads_and_publishes(self_hosted):
    assert _call("get", _basic("writer", "write-pass")).status_code == 200
    assert _call("put", _basic("writer", "write-pass")).status_code == 200


def test_the_read_write_basic_user_cannot_manage_people(self_hosted):
    assert _call("post", _basic("writer", "write-pass")).status_code == 403


def test_the_read_only_basic_user_reads_but_cannot_write(self_hosted):
    assert _call("get", _basic("reader", "read-pass")).status_code == 200
    response = _call("put", _basic("reader", "read-pass"))
    assert response.status_code == 403


@pytest.mark.parametrize("user, password", [("writer", "wrong"), ("reader", "write-pass"), ("nobody", "")])
def test_wrong_basic_credentials_are_401(self_hosted, user, password):
    assert _call("get", _basic(user, password)).status_code == 401


def test_anonymous_reads_need_allow_public_read(self_hosted):
    assert _call("get").status_code == 401
    self_hosted.PACT_BROKER_ALLOW_PUBLIC_READ = True
    assert _call("get").status_code == 200
    assert _call("put").status_code == 401


def test_basic_auth_is_ignored_on_a_hosted_organisation(acme, settings):
    settings.PACT_BROKER_BASIC_AUTH_USERNAME = "writer"
    settings.PACT_BROKER_BASIC_AUTH_PASSWORD = "write-pass"
    settings.PACT_BROKER_ALLOW_PUBLIC_READ = True

    response = Client(HTTP_HOST=acme.host, HTTP_AUTHORIZATION=_basic("writer", "write-pass")).get("/admin/users")

    assert response.status_code == 401


def test_basic_users_see_who_they_are_on_the_api(self_hosted):
    response = Client(HTTP_HOST="broker.internal", HTTP_AUTHORIZATION=_basic("reader", "read-pass")).get("/user")

    assert response.json()["name"] == "reader" and response.json()["readOnly"] is True


def test_bearer_tokens_still_work_in_self_hosted_mode(self_hosted):
    from django_tenants.utils import schema_context

    from apps.accounts import services

    with schema_context(self_hosted.SINGLE_TENANT_SCHEMA):
        admin = services.user_create(email="ops@example.com", name="Ops", password=None, is_admin=True)
        _, secret = services.token_create(user=admin, name="t", read_only=False)

    response = Client(HTTP_HOST="broker.internal", HTTP_AUTHORIZATION=f"Bearer {secret}").get("/admin/users")

    assert response.status_code == 200
