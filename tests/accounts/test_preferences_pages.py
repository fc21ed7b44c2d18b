"""Settings > Preferences, the login banner on the sign-in page and in the app, and the
token-expiry alerts (dashboard notice and one email per token)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, AuditEvent
from apps.accounts.services.preferences import system_preferences_update
from apps.accounts.tasks import token_expiry_alerts_send
from tests.accounts.conftest import browser_for, member_create


def _banner(org, text):
    with schema_context(org.schema):
        system_preferences_update(actor=None, values={"loginBanner": text})


@pytest.mark.django_db
def test_the_banner_is_sanitised_markdown_on_the_sign_in_page_and_in_the_app_and_not_in_other_organisations(
    acme, outsider
):
    _banner(
        acme,
        "**Maintenance** on [Sunday](https://status.example)\n\n"
        '<script>alert(1)</script><a href="javascript:alert(2)">x</a><img src="https://t.example/p.png">'
        '<b onclick="alert(3)">bold</b>',
    )

    sign_in = Client(HTTP_HOST=acme.host).get("/login").content.decode()
    dashboard = browser_for(acme, acme.admin).get("/dashboard", HTTP_ACCEPT="text/html").content.decode()
    theirs = Client(HTTP_HOST=outsider.host).get("/login").content.decode()

    for page in (sign_in, dashboard):
        assert '<aside class="announcement" aria-label="Announcement"><p><strong>Maintenance</strong> on ' in page
        assert '<a href="https://status.example" rel="noopener noreferrer nofollow">Sunday</a>' in page
        assert "<script>" not in page.split("</header>")[-1].split("</aside>")[0]
        assert "alert(1)" not in page and "javascript:" not in page and "onclick" not in page
        assert "t.example" not in page
        assert "<b>bold</b>" in page
    assert "announcement" not in theirs


@pytest.mark.django_db
def test_the_preferences_page_shows_the_system_part_only_to_those_who_may_change_it(acme):
    dev = member_create(acme, email="dev@acme.example", roles=["user"])
    admin_page = browser_for(acme, acme.admin).get("/settings/preferences")
    dev_browser = browser_for(acme, dev.user)
    dev_page = dev_browser.get("/settings/preferences")

    forged = dev_browser.post("/settings/preferences", {"part": "system", "login_banner": "mine"})

    assert admin_page.status_code == 200 and "Save system preferences" in admin_page.content.decode()
    assert dev_page.status_code == 200 and "Save system preferences" not in dev_page.content.decode()
    assert "Save personal preferences" in dev_page.content.decode()
    assert forged.status_code == 403
    assert Client(HTTP_HOST=acme.host).get("/settings/preferences").status_code == 302


@pytest.mark.django_db
def test_the_preferences_page_saves_shows_validation_errors_and_needs_csrf(acme):
    with schema_context(acme.schema):
        alpha = services.team_create(actor=None, name="Alpha")
    browser = browser_for(acme, acme.admin)

    saved = browser.post(
        "/settings/preferences",
        {
            "part": "system",
            "token_expiry_amount": "3",
            "token_expiry_unit": "weeks",
            "login_banner": "Hello",
            "default_role": "",
            "default_team": str(alpha.uuid),
        },
    )
    missing_amount = browser.post("/settings/preferences", {"part": "system", "token_expiry_unit": "days"})
    too_long = browser.post("/settings/preferences", {"part": "system", "login_banner": "x" * 2001})
    personal = browser.post("/settings/preferences", {"part": "personal"})
    no_csrf = Client(HTTP_HOST=acme.host, enforce_csrf_checks=True)
    with schema_context(acme.schema):
        no_csrf.force_login(acme.admin)
    forged = no_csrf.post("/settings/preferences", {"part": "personal"})

    assert saved.status_code == 302 and saved["Location"] == "/settings/preferences"
    assert missing_amount.status_code == 400
    assert "Say after how many days tokens expire." in missing_amount.content.decode()
    assert too_long.status_code == 400 and "At most 2000 characters (2001 given)." in too_long.content.decode()
    assert personal.status_code == 302
    assert forged.status_code == 403
    with schema_context(acme.schema):
        from apps.accounts.preferences import system_preferences, user_preferences

        assert system_preferences() == {
            "defaultRoleUuid": None,
            "defaultTeamUuid": str(alpha.uuid),
            "loginBanner": "Hello",
            "apiTokenExpiry": {"amount": 3, "unit": "weeks"},
        }
        assert user_preferences(acme.admin) == {"tokenExpiryAlert": False}
        assert AuditEvent.objects.filter(action="preferences.system_changed").count() == 1


@pytest.mark.django_db
def test_expiring_tokens_show_on_the_dashboard_and_are_emailed_once_each(acme, outsider, smtp_server):
    dev = member_create(acme, email="dev@acme.example", roles=["user"])
    quiet = member_create(acme, email="quiet@acme.example", roles=["user"])
    now = timezone.now()
    with schema_context(acme.schema):
        services.token_create(user=dev.user, name="soon", read_only=False, expires_at=now + timedelta(days=2))
        services.token_create(user=dev.user, name="later", read_only=False, expires_at=now + timedelta(days=30))
        services.token_create(user=quiet.user, name="quiet-soon", read_only=False, expires_at=now + timedelta(days=1))
        ApiToken.objects.filter(user=dev.user, name="rw").update(expires_at=now - timedelta(hours=1))
    quiet.client().put(
        "/preferences/current-user",
        {"preferences": [{"name": "tokenExpiryAlert", "value": False}]},
        content_type="application/json",
    )

    page = browser_for(acme, dev.user).get("/dashboard", HTTP_ACCEPT="text/html").content.decode()
    quiet_page = browser_for(acme, quiet.user).get("/dashboard", HTTP_ACCEPT="text/html").content.decode()
    with schema_context(acme.schema):
        first = token_expiry_alerts_send()
        second = token_expiry_alerts_send()
    with schema_context(outsider.schema):
        theirs = token_expiry_alerts_send()

    assert "2 of your API tokens have expired or expire within 7 days:" in page
    assert "soon (" in page and ": expired " in page and "later (" not in page
    assert "token-expiry-alert" not in quiet_page
    assert (first, second, theirs) == (2, 0, 0)
    subjects = sorted(message["Subject"] for message in smtp_server.messages)
    assert subjects == [
        "Your API token 'rw' in Acme Corp has expired",
        "Your API token 'soon' in Acme Corp expires soon",
    ]
    assert {message["To"] for message in smtp_server.messages} == {"dev@acme.example"}
    with schema_context(acme.schema):
        assert AuditEvent.objects.filter(action="token.expiry_alert_sent").count() == 2
