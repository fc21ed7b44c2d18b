"""Attacks on SSO's stored secrets: where they live, who can read them, what shows them.

GitHub/Google client secrets are sealed values of apps.secrets (the organisation's data key, wrapped
by the master key), not values under a key derived from SECRET_KEY. Two organisations (acme, globex)
and an outsider without rights play the usual parts.
"""

import importlib
import logging
import secrets

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from apps.accounts.models import AuditEvent
from apps.secrets import crypto
from apps.secrets.models import SealedValue
from apps.secrets.services import sealed_value_get
from sso import queries
from sso.models import OAuthClient
from tests.sso import conftest as sso_fixtures
from tests.sso.conftest import oauth_configure
from tests.sso.test_social_login import _sign_in

pytestmark = pytest.mark.django_db
oauth_provider = sso_fixtures.oauth_provider  # the local GitHub/Google of tests/sso
PURPOSE = "sso.github.client_secret"


@pytest.fixture
def secret_value(oauth_provider):
    oauth_provider.state.client_secret = "gh-secret-" + secrets.token_hex(12)
    return oauth_provider.state.client_secret


@pytest.fixture
def github_acme(acme, oauth_provider, secret_value):
    oauth_configure(acme, oauth_provider, name="github", allowed_orgs="acme-inc")
    return acme


def _admin(org):
    client = org.browser()
    with schema_context(org.schema):
        client.force_login(org.admin, backend="sso.auth.TenantModelBackend")
    return client


def test_the_client_secret_is_sealed_under_the_organisations_data_key(github_acme, secret_value):
    with schema_context(github_acme.schema):
        sealed = SealedValue.objects.get(purpose=PURPOSE)
        assert secret_value.encode() not in bytes(sealed.ciphertext)
        assert sealed.data_key.active
        assert sealed_value_get(purpose=PURPOSE) == secret_value


def test_changing_secret_key_does_not_touch_client_secrets_but_the_master_key_does(github_acme, secret_value, settings):
    settings.SECRET_KEY = "another-secret-key-" + secrets.token_hex(16)
    settings.SSO_ENCRYPTION_KEY = "another-sso-key"
    with schema_context(github_acme.schema):
        assert queries.oauth_credentials("github").client_secret == secret_value

    settings.SECRETS_MASTER_KEYS = "other:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    with schema_context(github_acme.schema):
        assert queries.oauth_credentials("github") is None
    # Unreadable means not offered, never an error page or a fallback to something weaker.
    assert github_acme.browser().post("/sso/login/github/").status_code == 404


def test_a_sealed_client_secret_copied_into_another_organisation_does_not_decrypt(
    github_acme, outsider, oauth_provider
):
    oauth_configure(outsider, oauth_provider, name="github", allowed_orgs="globex-inc")
    with schema_context(github_acme.schema):
        stolen = SealedValue.objects.get(purpose=PURPOSE)
    with schema_context(outsider.schema):
        SealedValue.objects.filter(purpose=PURPOSE).update(nonce=stolen.nonce, ciphertext=stolen.ciphertext)
        with pytest.raises(crypto.DecryptionFailed):
            sealed_value_get(purpose=PURPOSE)
        assert queries.oauth_credentials("github") is None


def test_a_sealed_value_moved_to_another_purpose_does_not_decrypt(github_acme, oauth_provider):
    oauth_configure(github_acme, oauth_provider, name="google")
    with schema_context(github_acme.schema):
        github = SealedValue.objects.get(purpose=PURPOSE)
        SealedValue.objects.filter(purpose="sso.google.client_secret").update(
            nonce=github.nonce, ciphertext=github.ciphertext
        )
        with pytest.raises(crypto.DecryptionFailed):
            sealed_value_get(purpose="sso.google.client_secret")


def test_data_key_rotation_re_encrypts_client_secrets_and_sign_in_keeps_working(github_acme, secret_value):
    import os

    with schema_context(github_acme.schema):
        before = SealedValue.objects.get(purpose=PURPOSE).data_key_id
    call_command("secrets_rotate_data_key", "--schema", github_acme.schema, stdout=open(os.devnull, "w"))

    with schema_context(github_acme.schema):
        assert SealedValue.objects.get(purpose=PURPOSE).data_key_id != before
        assert queries.oauth_credentials("github").client_secret == secret_value
    client = github_acme.browser()
    assert _sign_in(client, "github").status_code == 302 and "_auth_user_id" in client.session


def test_client_secrets_are_not_secrets_a_webhook_can_reference(github_acme):
    from apps.secrets.services import secret_values_resolve

    listing = github_acme.client().get("/secrets")

    assert listing.status_code == 200 and b"sso." not in listing.content
    with schema_context(github_acme.schema):
        assert secret_values_resolve({PURPOSE, "client_secret", "github"}, team_id=None) == {}


def test_the_secret_never_appears_in_a_response_a_log_or_the_audit_log(acme, oauth_provider, secret_value, caplog):
    admin = _admin(acme)
    with caplog.at_level(logging.DEBUG):
        saved = admin.post(
            "/settings/sso/github",
            {
                "github-client_id": oauth_provider.state.client_id,
                "github-client_secret": secret_value,
                "github-allowed_orgs": "acme-inc",
            },
        )
        page = admin.get("/settings/sso")
        refused = admin.post(
            "/settings/sso/github",
            {"github-client_id": "x", "github-client_secret": secret_value, "github-allowed_teams": "not-a-team"},
        )
        with schema_context(acme.schema):
            from sso.models import LoginPolicy

            LoginPolicy.objects.update_or_create(singleton=1, defaults={"github_enabled": True})
        client = acme.browser()
        signed_in = _sign_in(client, "github")

    assert saved.status_code == 302 and signed_in.status_code == 302
    assert refused.status_code == 400
    needle = secret_value.encode()
    for answer in (saved, page, refused, signed_in):
        assert needle not in answer.content and needle not in str(answer.headers).encode()
    assert b"Client secret (empty: keep the saved one) \xc2\xb7 saved" in page.content
    for record in caplog.records:
        assert secret_value not in record.getMessage() and secret_value not in repr(record.__dict__)
    with schema_context(acme.schema):
        for event in AuditEvent.objects.filter(action__startswith="sso."):
            assert secret_value not in repr(event.details)


def test_saving_a_client_secret_without_a_master_key_is_refused_and_changes_nothing(acme, settings):
    settings.SECRETS_MASTER_KEYS = ""

    answer = _admin(acme).post("/settings/sso/github", {"github-client_id": "id", "github-client_secret": "s"})

    assert answer.status_code == 400
    assert b"Client secrets cannot be stored: no master key is configured (SECRETS_MASTER_KEYS)." in answer.content
    with schema_context(acme.schema):
        assert not OAuthClient.objects.filter(provider="github").exists()


def test_an_outsider_without_rights_cannot_read_or_replace_the_client_secret(github_acme, secret_value):
    from apps.accounts.services import user_create

    with schema_context(github_acme.schema):
        member = user_create(email="member@acme.example", name="M", password=None, email_confirmed=True)
    client = github_acme.browser()
    with schema_context(github_acme.schema):
        client.force_login(member, backend="sso.auth.TenantModelBackend")

    assert client.get("/settings/sso").status_code == 403
    assert (
        client.post("/settings/sso/github", {"github-client_id": "evil", "github-client_secret": "evil"}).status_code
        == 403
    )
    with schema_context(github_acme.schema):
        assert queries.oauth_credentials("github").client_secret == secret_value


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def exclude(self, **kwargs):
        return [r for r in self.rows if r.client_secret_encrypted]


class _Row:
    def __init__(self, provider, token):
        self.provider, self.client_secret_encrypted = provider, token


def test_the_migration_re_seals_secrets_sealed_under_the_old_secret_key_scheme(acme, caplog):
    migration = importlib.import_module("sso.migrations.0004_client_secrets_sealed")
    with schema_context(acme.schema):
        rows = [
            _Row("github", migration.legacy_encrypt("old-gh", f"{connection.schema_name}:github")),
            _Row("google", migration.legacy_encrypt("old-google", "globex:google")),  # not this organisation's
            _Row("google", ""),
        ]

        class _Apps:
            def get_model(self, app, name):
                return type("M", (), {"objects": _Rows(rows)})

        migration.reseal(_Apps(), None)

        assert sealed_value_get(purpose="sso.github.client_secret") == "old-gh"
        assert sealed_value_get(purpose="sso.google.client_secret") is None
    assert "could not be decrypted and was dropped" in caplog.text and "old-google" not in caplog.text
