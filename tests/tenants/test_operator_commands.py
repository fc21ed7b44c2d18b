"""Operator commands: org_create, org_plan_set, org_suspend/org_resume, org_list; each audited on the platform."""

import io
import json
import os
import stat

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import schema_context


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def platform_audit(action: str) -> list:
    from apps.accounts.models import AuditEvent

    with schema_context("public"):
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


@pytest.mark.django_db
def test_org_create_provisions_an_invoiced_customer_invites_its_admin_and_writes_a_token(
    tmp_path, django_capture_on_commit_callbacks
):
    from apps.accounts.models import User
    from tenants.models import Tenant

    token_file = tmp_path / "token"
    with django_capture_on_commit_callbacks(execute=True):
        out = run(
            "org_create",
            "--slug",
            "initech",
            "--name",
            "Initech",
            "--plan",
            "enterprise",
            "--admin-email",
            "Peter@Initech.example",
            "--token-file",
            str(token_file),
            "--operator",
            "alice",
        )

    tenant = Tenant.objects.get(slug="initech")
    assert (tenant.name, tenant.plan, tenant.seats) == ("Initech", "enterprise", 20)
    assert "Created initech (Initech) on enterprise with 20 seats." in out
    assert "Invited peter@initech.example: https://initech.localhost/invitations/" in out
    token = token_file.read_text().strip()
    assert token and token not in out  # the token is only in the file
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    with schema_context(tenant.schema_name):
        admin = User.objects.get(email="peter@initech.example")
        assert admin.invitation_pending
    [invitation] = mail.outbox
    assert invitation.to == ["peter@initech.example"] and "Initech" in invitation.subject
    # The token works against the new organisation's API, and only there.
    assert (
        Client(HTTP_HOST="initech.localhost", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/hal+json")
        .get("/pacticipants")
        .status_code
        == 200
    )
    [entry] = platform_audit("organisation.created")
    assert entry.actor_email == "operator:alice"
    assert (entry.target_type, entry.target_label) == ("organisation", "initech")
    assert entry.details == {
        "operator": "alice",
        "plan": "enterprise",
        "seats": 20,
        "admin_email": "peter@initech.example",
        "token_created": True,
        "database": "default",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--slug", "acme", "--plan", "team"], "The slug 'acme' is already taken."),
        (
            ["--slug", "newco", "--plan", "platinum"],
            "Unknown plan 'platinum': one of developer, team, business, enterprise.",
        ),
        (["--slug", "-bad-", "--plan", "team"], None),
    ],
)
def test_org_create_refuses_a_taken_slug_an_unknown_plan_or_a_bad_slug(acme, args, message):
    from tenants.models import Tenant

    count = Tenant.objects.count()
    with pytest.raises(CommandError) as refused:
        run("org_create", *args, "--name", "X", "--admin-email", "a@x.example")

    if message:
        assert str(refused.value) == message
    assert Tenant.objects.count() == count
    assert platform_audit("organisation.created") == []


@pytest.mark.django_db
def test_org_create_never_overwrites_an_existing_token_file(tmp_path):
    from tenants.models import Tenant

    token_file = tmp_path / "token"
    token_file.write_text("keep me")

    with pytest.raises(CommandError, match="exists; choose a new file"):
        run(
            "org_create",
            "--slug",
            "newco",
            "--name",
            "N",
            "--plan",
            "team",
            "--admin-email",
            "a@n.example",
            "--token-file",
            str(token_file),
        )

    assert token_file.read_text() == "keep me"
    assert not Tenant.objects.filter(slug="newco").exists()


@pytest.mark.django_db
def test_org_plan_set_changes_the_plan_and_is_audited_on_both_sides(acme):
    from apps.accounts.models import AuditEvent
    from tenants.models import Tenant

    out = run("org_plan_set", "--slug", "acme", "--plan", "business", "--seats", "12", "--operator", "bob")

    assert out.strip() == "acme is now on business with 12 seats."
    tenant = Tenant.objects.get(slug="acme")
    assert (tenant.plan, tenant.seats) == ("business", 12)
    [entry] = platform_audit("organisation.plan_set")
    assert entry.details == {
        "operator": "bob",
        "plan": "business",
        "seats": 12,
        "previous": {"plan": "developer", "seats": 2},
    }
    with schema_context(acme.schema):  # the organisation's own log says so too
        assert AuditEvent.objects.filter(action="billing.plan_set_by_platform").exists()


@pytest.mark.django_db
def test_a_suspended_organisation_is_answered_423_until_resumed(acme, outsider):
    api = acme.client(HTTP_ACCEPT="application/hal+json")
    assert api.get("/pacticipants").status_code == 200

    assert (
        run("org_suspend", "--slug", "acme", "--reason", "unpaid invoice 42", "--operator", "carol").strip()
        == "Suspended acme."
    )

    response = api.get("/pacticipants")
    assert response.status_code == 423
    assert response.json() == {
        "error": {"message": ("This organisation is suspended. Its data is kept; contact support to have it resumed.")}
    }
    assert "unpaid" not in response.content.decode()  # the reason is for operators only
    assert api.post("/pacticipants", {"name": "X"}, content_type="application/json").status_code == 423
    page = acme.browser().get("/", HTTP_ACCEPT="text/html")
    assert page.status_code == 423 and "Organisation suspended" in page.content.decode()
    assert outsider.client().get("/pacticipants").status_code == 200  # nobody else is affected
    assert Client().get("/healthz", HTTP_HOST=acme.host).status_code == 200  # probes still answer

    with pytest.raises(CommandError, match="has been suspended since"):
        run("org_suspend", "--slug", "acme", "--reason", "again")

    assert run("org_resume", "--slug", "acme", "--operator", "carol").strip() == "Resumed acme."
    assert api.get("/pacticipants").status_code == 200
    [suspended] = platform_audit("organisation.suspended")
    assert suspended.details == {"operator": "carol", "reason": "unpaid invoice 42"}
    [resumed] = platform_audit("organisation.resumed")
    assert resumed.actor_email == "operator:carol" and resumed.target_label == "acme"
    with pytest.raises(CommandError, match="acme is not suspended."):
        run("org_resume", "--slug", "acme")


@pytest.mark.django_db
def test_org_suspend_of_an_unknown_organisation_is_refused():
    with pytest.raises(CommandError, match="There is no organisation 'nobody'."):
        run("org_suspend", "--slug", "nobody", "--reason", "x")


@pytest.mark.django_db
def test_org_list_shows_every_organisation_with_its_size(acme, outsider):
    run("org_suspend", "--slug", "globex", "--reason", "test")

    text = run("org_list")
    rows = {row["slug"]: row for row in json.loads(run("org_list", "--json"))}

    assert text.splitlines()[0].split() == ["SLUG", "PLAN", "SEATS", "STATE", "SIZE", "DATABASE", "NAME"]
    assert any(line.startswith("acme ") and "active" in line and "Acme Corp" in line for line in text.splitlines())
    assert rows["acme"]["state"] == "active" and rows["globex"]["state"] == "suspended"
    assert rows["acme"]["plan"] == "developer" and rows["acme"]["size_bytes"] > 100_000
    assert rows["acme"]["schema"] == acme.schema
