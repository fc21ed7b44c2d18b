"""The organisation's sign-in policy, the login page that follows it, and Settings > SSO."""

import http.server
import threading

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEvent
from apps.accounts.services import user_create
from sso import queries
from sso.models import LoginPolicy, SamlIdentityProvider
from tests.sso.conftest import oauth_configure, plan_set

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _member(org, email="member@acme.example", admin=False):
    with schema_context(org.schema):
        return user_create(email=email, name="Member", password=PASSWORD, email_confirmed=True, is_admin=admin)


def _signed_in(org, email):
    client = org.browser()
    client.post("/login", {"username": email, "password": PASSWORD})
    return client


def test_the_login_page_offers_every_enabled_mode(saml_acme, oauth_provider):
    oauth_configure(saml_acme.org, oauth_provider, name="github")
    page = saml_acme.org.browser().get("/login").content.decode()

    assert "Sign in with your identity provider (SAML)" in page
    assert 'action="/sso/login/github/"' in page
    assert "Sign in with Google" not in page
    assert 'name="password"' in page


def test_when_saml_is_required_the_login_page_shows_only_saml(saml_acme):
    with schema_context(saml_acme.org.schema):
        LoginPolicy.objects.update(saml_required=True, break_glass_email="admin@acme.example")
    page = saml_acme.org.browser().get("/login").content.decode()

    assert "Sign in with your identity provider (SAML)" in page
    assert 'name="password"' not in page
    assert "break-glass" in page


def test_when_saml_is_required_password_sign_in_is_refused(saml_acme):
    _member(saml_acme.org)
    with schema_context(saml_acme.org.schema):
        LoginPolicy.objects.update(saml_required=True, break_glass_email="admin@acme.example")

    client = _signed_in(saml_acme.org, "member@acme.example")

    assert "_auth_user_id" not in client.session


def test_the_break_glass_admin_keeps_password_sign_in_when_saml_is_required(saml_acme):
    with schema_context(saml_acme.org.schema):
        LoginPolicy.objects.update(saml_required=True, break_glass_email="admin@acme.example")

    client = _signed_in(saml_acme.org, "admin@acme.example")

    assert "_auth_user_id" in client.session


def test_a_break_glass_email_that_is_no_longer_an_admin_gets_no_exception(saml_acme):
    _member(saml_acme.org)
    with schema_context(saml_acme.org.schema):
        LoginPolicy.objects.update(saml_required=True, break_glass_email="member@acme.example")

    assert "_auth_user_id" not in _signed_in(saml_acme.org, "member@acme.example").session


def test_a_plan_without_saml_falls_back_to_passwords_rather_than_locking_everyone_out(saml_acme):
    with schema_context(saml_acme.org.schema):
        LoginPolicy.objects.update(saml_required=True, password_enabled=False, break_glass_email="")
    plan_set(saml_acme.org, "developer")
    _member(saml_acme.org)

    assert "_auth_user_id" in _signed_in(saml_acme.org, "member@acme.example").session


def test_self_hosted_brokers_offer_password_and_saml_only(acme, settings):
    settings.SINGLE_TENANT = True
    with schema_context(acme.schema):
        assert queries.modes_available() == {"password", "saml"}


def test_settings_sso_is_for_administrators_only(saml_acme):
    _member(saml_acme.org)
    assert saml_acme.org.browser().get("/settings/sso").status_code == 302
    assert _signed_in(saml_acme.org, "member@acme.example").get("/settings/sso").status_code == 403
    assert (
        _signed_in(saml_acme.org, "member@acme.example")
        .post("/settings/sso/policy", {"password_enabled": "on"})
        .status_code
        == 403
    )
    page = _signed_in(saml_acme.org, "admin@acme.example").get("/settings/sso")
    assert page.status_code == 200
    assert saml_acme.entity_id.encode() in page.content and saml_acme.acs.encode() in page.content


def test_settings_forms_need_a_csrf_token(saml_acme):
    client = Client(HTTP_HOST=saml_acme.org.host, enforce_csrf_checks=True)
    with schema_context(saml_acme.org.schema):
        client.force_login(saml_acme.org.admin, backend="sso.auth.TenantModelBackend")

    answer = client.post("/settings/sso/policy", {"password_enabled": "on"})

    assert answer.status_code == 403


def test_requiring_saml_is_saved_and_audited(saml_acme):
    client = _signed_in(saml_acme.org, "admin@acme.example")

    answer = client.post(
        "/settings/sso/policy",
        {
            "saml_enabled": "on",
            "saml_required": "on",
            "saml_allow_idp_initiated": "on",
            "password_enabled": "on",
            "break_glass_email": "admin@acme.example",
        },
    )

    assert answer.status_code == 302
    with schema_context(saml_acme.org.schema):
        policy = LoginPolicy.objects.get()
        assert policy.saml_required and not policy.password_enabled
        entry = AuditEvent.objects.filter(action="sso.policy_updated").latest("timestamp")
        assert (entry.details["before"]["saml_required"], entry.details["after"]["saml_required"]) == (False, True)


def test_requiring_saml_without_a_break_glass_admin_is_refused(saml_acme):
    client = _signed_in(saml_acme.org, "admin@acme.example")

    answer = client.post("/settings/sso/policy", {"saml_enabled": "on", "saml_required": "on"})

    assert answer.status_code == 400 and b"break-glass" in answer.content
    with schema_context(saml_acme.org.schema):
        assert not LoginPolicy.objects.get().saml_required


def test_enabling_a_mode_outside_the_plan_is_refused(acme):
    client = _signed_in(acme, "admin@acme.example")

    answer = client.post("/settings/sso/policy", {"password_enabled": "on", "saml_enabled": "on"})

    assert answer.status_code == 400 and b"plan does not include saml" in answer.content


def test_an_admin_configures_the_idp_by_pasting_its_metadata(acme, idp):
    plan_set(acme, "business")
    client = _signed_in(acme, "admin@acme.example")

    answer = client.post("/settings/sso/saml", {"metadata_xml": idp.metadata(), "attr_name": "displayName"})

    assert answer.status_code == 302
    with schema_context(acme.schema):
        saved = SamlIdentityProvider.objects.get()
    assert (saved.entity_id, saved.sso_url, saved.slo_url) == (idp.entity_id, idp.sso_url, idp.slo_url)
    assert saved.x509_cert in idp.cert_pem.replace("\n", "")
    assert saved.attr_name == "displayName"


def test_an_admin_configures_the_idp_by_uploading_its_metadata_file(acme, idp):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan_set(acme, "business")
    client = _signed_in(acme, "admin@acme.example")
    upload = SimpleUploadedFile("idp.xml", idp.metadata().encode(), content_type="application/xml")

    assert client.post("/settings/sso/saml", {"metadata_file": upload}).status_code == 302
    with schema_context(acme.schema):
        assert SamlIdentityProvider.objects.get().entity_id == idp.entity_id


@pytest.fixture
def metadata_server(idp):
    body = idp.metadata().encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/samlmetadata+xml")
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/metadata"
    server.shutdown()
    server.server_close()


def test_an_admin_configures_the_idp_from_a_metadata_url(acme, idp, metadata_server, settings):
    settings.SSO_METADATA_ALLOW_PRIVATE = True
    plan_set(acme, "business")
    client = _signed_in(acme, "admin@acme.example")

    assert client.post("/settings/sso/saml", {"metadata_url": metadata_server}).status_code == 302
    with schema_context(acme.schema):
        saved = SamlIdentityProvider.objects.get()
    assert saved.entity_id == idp.entity_id and saved.metadata_url == metadata_server


def test_a_metadata_url_on_a_private_address_is_refused(acme, metadata_server):
    plan_set(acme, "business")
    client = _signed_in(acme, "admin@acme.example")

    answer = client.post("/settings/sso/saml", {"metadata_url": metadata_server.replace("http:", "https:")})

    assert answer.status_code == 400 and b"public host" in answer.content


def test_a_certificate_that_is_not_x509_is_refused(acme):
    plan_set(acme, "business")
    client = _signed_in(acme, "admin@acme.example")

    answer = client.post(
        "/settings/sso/saml",
        {"entity_id": "https://idp.example", "sso_url": "https://idp.example/sso", "x509_cert": "bm90IGEgY2VydA=="},
    )

    assert answer.status_code == 400 and b"not a valid X.509" in answer.content


def test_google_can_be_saved_without_an_allowed_domain_and_then_admits_invited_people_only(acme):
    client = _signed_in(acme, "admin@acme.example")

    answer = client.post("/settings/sso/google", {"google-client_id": "id", "google-client_secret": "s"})

    assert answer.status_code == 302
    with schema_context(acme.schema):
        assert not queries.oauth_allow_list(queries.oauth_client_get("google"))


def test_saving_github_without_a_new_secret_keeps_the_old_one(acme, oauth_provider):
    saved = oauth_configure(acme, oauth_provider, name="github")
    client = _signed_in(acme, "admin@acme.example")

    assert (
        client.post(
            "/settings/sso/github", {"github-client_id": "client-id", "github-allowed_orgs": "acme-inc"}
        ).status_code
        == 302
    )
    with schema_context(acme.schema):
        saved.refresh_from_db()
        assert saved.allowed_org_list() == ["acme-inc"]
        assert queries.oauth_credentials("github").client_secret == oauth_provider.state.client_secret
