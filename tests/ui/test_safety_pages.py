"""Issue 19 item 8: the last administrator can be neither deactivated, removed nor demoted from the
UI (the buttons are not offered and the service's refusal is shown); breadcrumbs with the item's
name on every settings detail page; the audit log as one sentence per entry with its filters."""

import html
import re
from types import SimpleNamespace

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.audit_sentences import audit_sentence
from apps.accounts.models import Role, User
from tests.ui.conftest import member, signed_in

pytestmark = pytest.mark.django_db

LAST_ADMIN = "This is the organisation's last active administrator; make someone else an administrator first."


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_your_own_page_offers_no_deactivate_or_remove_and_the_service_refuses_them(acme, admin):
    url = f"/organisation/users/{acme.admin.uuid}"

    shown = page(admin.get(url))

    assert "This is you: another administrator can deactivate or remove your account." in shown
    assert 'value="deactivate"' not in shown and 'value="remove"' not in shown
    assert (
        "The organisation's last active administrator: make someone else an administrator before taking this role "
        "away." in shown
    )
    for action, refusal in (
        ("deactivate", "You cannot deactivate yourself."),
        ("remove", "You cannot remove yourself."),
    ):
        assert refusal in page(admin.post(url, {"action": action}, follow=True))
    with schema_context(acme.schema):
        viewer_role = Role.objects.get(key="viewer")
    demoted = page(admin.post(url, {"action": "roles", "roles": [str(viewer_role.uuid)]}, follow=True))
    assert LAST_ADMIN in demoted
    with schema_context(acme.schema):
        assert list(User.objects.get(pk=acme.admin.pk).roles.values_list("key", flat=True)) == ["administrator"]
        assert User.objects.get(pk=acme.admin.pk).is_active


def test_the_last_administrator_cannot_be_removed_by_an_organisation_administrator(acme):
    org_admin = signed_in(acme, member(acme, email="org@acme.example", role="organization_administrator"))
    url = f"/organisation/users/{acme.admin.uuid}"

    shown = page(org_admin.get(url))

    assert (
        f"{acme.admin.name or acme.admin.email} is the organisation's last active administrator: make someone else "
        "an administrator before deactivating or removing them." in shown
    )
    assert 'value="remove"' not in shown
    # Posted anyway: refused (an administrator is changed only by an administrator, never by oneself).
    assert "Only administrators can change an administrator." in page(
        org_admin.post(url, {"action": "remove"}, follow=True)
    )
    with schema_context(acme.schema):
        assert User.objects.filter(pk=acme.admin.pk, is_active=True).exists()


def test_with_a_second_administrator_the_buttons_come_back(acme, admin):
    second = member(acme, email="second@acme.example", role="administrator")

    shown = page(admin.get(f"/organisation/users/{second.uuid}"))

    assert 'value="deactivate"' in shown and 'value="remove"' in shown
    assert "last active administrator" not in shown


def test_every_settings_detail_page_has_breadcrumbs_with_the_items_name(acme, admin):
    from tenants.models import Tenant
    from tests.support.webhook_builders import webhook_create

    Tenant.objects.filter(pk=acme.tenant.pk).update(plan="team")  # system accounts need a paid plan
    viewer = member(acme, email="vera@acme.example", role="viewer")
    with schema_context(acme.schema):
        team = services.team_create(actor=None, name="Payments team")
        role = services.role_create(actor=None, name="Auditors", permission_names=["audit:read:*"])
        account = services.system_account_create(actor=None, name="ci-bot")
        webhook = webhook_create(url="https://ci.example/hook", consumer="Web", provider="Orders")

    expected = {
        f"/organisation/users/{viewer.uuid}": "Settings › Users › vera",
        f"/organisation/teams/{team.uuid}": "Settings › Teams › Payments team",
        f"/organisation/roles/{role.uuid}": "Settings › Roles › Auditors",
        f"/organisation/system-accounts/{account.uuid}": "Settings › System accounts › ci-bot",
        "/ui/webhooks/new": "Settings › Webhooks › New webhook",
    }
    for url, crumbs in expected.items():
        shown = page(admin.get(url))
        trail = shown.split('<nav class="breadcrumbs" aria-label="Breadcrumbs">')[1].split("</nav>")[0]
        assert re.sub(r"<[^>]+>", "", trail) == crumbs, url
    webhook_page = page(admin.get(f"/ui/webhooks/{webhook.uuid}"))
    assert '<span aria-current="page">' in webhook_page.split('aria-label="Breadcrumbs"')[1].split("</nav>")[0]


def test_audit_entries_read_as_sentences_and_the_filters_still_apply(acme, admin):
    from tenants.models import Tenant

    Tenant.objects.filter(pk=acme.tenant.pk).update(plan="team")
    with schema_context(acme.schema):
        services.team_create(actor=acme.admin, name="Shown team")
        services.system_account_create(actor=acme.admin, name="deployer")

    shown = page(admin.get("/organisation/audit?type=team"))

    assert f'<strong>{acme.admin.email}</strong> created team “Shown team” <span class="muted">on <time' in shown
    assert "created system account" not in shown and "created person “deployer”" not in shown
    assert "<summary>Details <code>team.created</code></summary>" in shown
    nothing = page(admin.get("/organisation/audit?type=nothing.here"))
    assert "Nothing recorded that matches these filters." in nothing


def test_a_sentence_names_the_token_the_broker_and_unknown_actions():
    def event(**fields):
        base = {"actor_kind": "user", "actor_email": "", "token_name": "", "target_label": "", "target_id": ""}
        return SimpleNamespace(**{**base, **fields})

    published = event(
        action="pact.published",
        actor_kind="system_account",
        actor_email="ci-bot",
        token_name="ci",
        target_label="Web 1.1.0 → Orders",
    )
    assert str(audit_sentence(published)) == "System account ci-bot (token “ci”) published pact “Web 1.1.0 → Orders”"
    renamed = event(action="pacticipant.updated", actor_email="ann@acme.example", target_label="Web")
    assert str(audit_sentence(renamed)) == "ann@acme.example updated application “Web”"
    roles = event(action="user.roles_changed", actor_email="ann@acme.example", target_label="bob@acme.example")
    assert str(audit_sentence(roles)) == "ann@acme.example changed the roles of “bob@acme.example”"
    pruned = event(action="audit.pruned", actor_kind="system")
    assert str(audit_sentence(pruned)) == "The broker removed audit entries older than the plan keeps"
    future = event(action="gizmo.frobnicated_twice", actor_email="", target_id="42")
    assert str(audit_sentence(future)) == "A person since removed frobnicated twice gizmo “42”"
