"""Preferences (`/preferences/system`, `/preferences/current-user`, Settings > Preferences): who may
read and change them, what each one does, and that another organisation never sees them."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import ApiToken, AuditEvent, Team, User
from tests.accounts.conftest import member_create


def _put(client, path, pairs):
    return client.put(
        path, {"preferences": [{"name": k, "value": v} for k, v in pairs.items()]}, content_type="application/json"
    )


def _values(response) -> dict:
    return {item["name"]: item["value"] for item in response.json()["_embedded"]["preferences"]}


def _admin(org) -> Client:
    return Client(HTTP_HOST=org.host, HTTP_AUTHORIZATION=f"Bearer {org.token}")


@pytest.mark.django_db
def test_system_preferences_have_defaults_and_are_readable_by_every_member(acme):
    member = member_create(acme, email="dev@acme.example", roles=["user"])

    response = member.client().get("/preferences/system")

    assert response.status_code == 200
    assert response.json() == {
        "_embedded": {
            "preferences": [
                {"name": "defaultRoleUuid", "value": None},
                {"name": "defaultTeamUuid", "value": None},
                {"name": "loginBanner", "value": ""},
                {"name": "apiTokenExpiry", "value": None},
            ]
        },
        "_links": {"self": {"href": f"http://{acme.host}/preferences/system"}},
    }


@pytest.mark.django_db
def test_changing_system_preferences_needs_system_preference_manage(acme):
    member = member_create(acme, email="dev@acme.example", roles=["user"])
    org_admin = member_create(acme, email="oa@acme.example", roles=["organization_administrator"])

    for who in (member, org_admin):
        response = _put(who.client(), "/preferences/system", {"loginBanner": "hi"})
        assert response.status_code == 403
        assert response.json() == {"error": "You do not have permission to perform this action."}
    read_only = _put(
        _admin(acme).__class__(HTTP_HOST=acme.host, HTTP_AUTHORIZATION=f"Bearer {acme.read_token}"),
        "/preferences/system",
        {"loginBanner": "hi"},
    )
    assert read_only.status_code == 403 and read_only.json() == {"error": "This token is read-only."}
    anonymous = Client(HTTP_HOST=acme.host).get("/preferences/system")
    assert anonymous.status_code == 401
    assert _values(_admin(acme).get("/preferences/system"))["loginBanner"] == ""


@pytest.mark.django_db
def test_an_administrator_sets_preferences_audited_with_before_and_after_and_the_outsider_is_untouched(acme, outsider):
    with schema_context(acme.schema):
        team = services.team_create(actor=None, name="Alpha")
        read_only_role = services.builtin_role("read_only")

    response = _put(
        _admin(acme),
        "/preferences/system",
        {
            "loginBanner": "**Maintenance** on Sunday",
            "apiTokenExpiry": {"amount": 30, "unit": "days"},
            "defaultRoleUuid": str(read_only_role.uuid),
            "defaultTeamUuid": str(team.uuid),
        },
    )

    assert response.status_code == 200
    assert _values(response) == {
        "defaultRoleUuid": str(read_only_role.uuid),
        "defaultTeamUuid": str(team.uuid),
        "loginBanner": "**Maintenance** on Sunday",
        "apiTokenExpiry": {"amount": 30, "unit": "days"},
    }
    with schema_context(acme.schema):
        entry = AuditEvent.objects.get(action="preferences.system_changed")
        assert entry.actor_email == "admin@acme.example"
        assert entry.details["before"] == {
            "defaultRoleUuid": None,
            "defaultTeamUuid": None,
            "loginBanner": "",
            "apiTokenExpiry": None,
        }
        assert entry.details["after"]["apiTokenExpiry"] == {"amount": 30, "unit": "days"}
    # A second PUT changes only what it names, and the audit holds only what changed.
    _put(_admin(acme), "/preferences/system", {"loginBanner": None})
    with schema_context(acme.schema):
        last = AuditEvent.objects.filter(action="preferences.system_changed").order_by("-id").first()
        assert last.details == {"before": {"loginBanner": "**Maintenance** on Sunday"}, "after": {"loginBanner": ""}}
    assert _values(_admin(acme).get("/preferences/system"))["apiTokenExpiry"] == {"amount": 30, "unit": "days"}
    theirs = _values(_admin(outsider).get("/preferences/system"))
    assert theirs == {"defaultRoleUuid": None, "defaultTeamUuid": None, "loginBanner": "", "apiTokenExpiry": None}
    # acme's token means nothing on the outsider's host.
    assert (
        Client(HTTP_HOST=outsider.host, HTTP_AUTHORIZATION=f"Bearer {acme.token}")
        .get("/preferences/system")
        .status_code
        == 401
    )


BAD_VALUES = [
    (
        {"nope": 1},
        "nope",
        "Unknown preference. Known: apiTokenExpiry, defaultRoleUuid, defaultTeamUuid, loginBanner.",
    ),
    ({"loginBanner": 5}, "loginBanner", "Expected Markdown text, or null."),
    ({"loginBanner": "x" * 2001}, "loginBanner", "At most 2000 characters (2001 given)."),
    (
        {"apiTokenExpiry": {"amount": 3, "unit": "years"}},
        "apiTokenExpiry",
        'Expected null (tokens do not expire) or {"amount": a whole number, "unit": hours, days, weeks or months}.',
    ),
    ({"apiTokenExpiry": {"amount": 0, "unit": "days"}}, "apiTokenExpiry", "Between 1 and 3650 days."),
    (
        {"apiTokenExpiry": {"amount": True, "unit": "days"}},
        "apiTokenExpiry",
        'Expected null (tokens do not expire) or {"amount": a whole number, "unit": hours, days, weeks or months}.',
    ),
    (
        {"defaultRoleUuid": "not-a-uuid"},
        "defaultRoleUuid",
        "Expected the uuid of one of the organisation's roles or teams, or null.",
    ),
    (
        {"defaultTeamUuid": "00000000-0000-0000-0000-000000000001"},
        "defaultTeamUuid",
        "No such team: 00000000-0000-0000-0000-000000000001.",
    ),
]


@pytest.mark.django_db
def test_bad_system_preferences_are_refused_with_the_field_and_change_nothing(acme):
    for pairs, field, message in BAD_VALUES:
        response = _put(_admin(acme), "/preferences/system", {"loginBanner": "kept?", **pairs})

        assert response.status_code == 422, pairs
        assert response.json() == {"errors": {field: [message]}}
    assert _values(_admin(acme).get("/preferences/system"))["loginBanner"] == ""
    for body in ({}, {"preferences": {}}, {"preferences": [{"value": 1}]}, {"preferences": ["x"]}, [1]):
        response = _admin(acme).put("/preferences/system", body, content_type="application/json")
        assert response.status_code == 400, body
        assert "errors" in response.json()


@pytest.mark.django_db
def test_administrator_and_team_administrator_cannot_be_the_default_role(acme):
    with schema_context(acme.schema):
        admin_role = services.builtin_role("administrator")
        team_admin_role = services.builtin_role("team_administrator")

    for role in (admin_role, team_admin_role):
        response = _put(_admin(acme), "/preferences/system", {"defaultRoleUuid": str(role.uuid)})
        assert response.status_code == 422
        assert response.json() == {"errors": {"defaultRoleUuid": [f"{role.name} cannot be the default role."]}}


@pytest.mark.django_db
def test_only_someone_holding_a_roles_permissions_can_make_it_the_default(acme):
    # A custom role with system_preference:manage but no contract data cannot make User the default.
    manager = member_create(acme, email="prefs@acme.example", permissions=["system_preference:manage:*"])
    with schema_context(acme.schema):
        user_role = services.builtin_role("user")
        no_access = services.builtin_role("no_access")

    refused = _put(manager.client(), "/preferences/system", {"defaultRoleUuid": str(user_role.uuid)})
    allowed = _put(manager.client(), "/preferences/system", {"defaultRoleUuid": str(no_access.uuid)})

    assert refused.status_code == 403
    assert refused.json()["error"].startswith("You cannot grant permissions you do not hold: contract_data:")
    assert allowed.status_code == 200


@pytest.mark.django_db
def test_personal_preferences_are_ones_own(acme, outsider):
    dev = member_create(acme, email="dev@acme.example", roles=["user"])
    other = member_create(acme, email="other@acme.example", roles=["user"])

    default = dev.client().get("/preferences/current-user")
    changed = _put(dev.client(), "/preferences/current-user", {"tokenExpiryAlert": False})
    read_only = _put(dev.client(dev.read_token), "/preferences/current-user", {"tokenExpiryAlert": True})
    bad = _put(dev.client(), "/preferences/current-user", {"tokenExpiryAlert": "no"})
    unknown = _put(dev.client(), "/preferences/current-user", {"loginBanner": "x"})

    assert default.status_code == 200 and _values(default) == {"tokenExpiryAlert": True}
    assert changed.status_code == 200 and _values(changed) == {"tokenExpiryAlert": False}
    assert read_only.status_code == 403 and read_only.json() == {"error": "This token is read-only."}
    assert bad.status_code == 422 and bad.json() == {"errors": {"tokenExpiryAlert": ["Expected true or false."]}}
    assert unknown.status_code == 422
    assert unknown.json() == {"errors": {"loginBanner": ["Unknown preference. Known: tokenExpiryAlert."]}}
    assert _values(other.client().get("/preferences/current-user")) == {"tokenExpiryAlert": True}
    assert _values(_admin(outsider).get("/preferences/current-user")) == {"tokenExpiryAlert": True}
    with schema_context(acme.schema):
        entry = AuditEvent.objects.get(action="preferences.user_changed")
        assert entry.details == {"before": {"tokenExpiryAlert": True}, "after": {"tokenExpiryAlert": False}}
    assert Client(HTTP_HOST=acme.host).get("/preferences/current-user").status_code == 401


@pytest.mark.django_db
def test_viewer_tokens_open_no_preferences(acme):
    viewer = member_create(acme, email="viewer@acme.example", roles=["viewer"])

    response = viewer.client(viewer.read_token).get("/preferences/system")

    assert response.status_code == 403
    assert response.json() == {"error": "Your role gives access to the UI only, not to the API."}


# --- What the system preferences do ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_role_and_team_apply_to_invited_people_and_new_applications(acme):
    with schema_context(acme.schema):
        team = services.team_create(actor=None, name="Alpha")
        read_only_role = services.builtin_role("read_only")
    _put(
        _admin(acme),
        "/preferences/system",
        {"defaultRoleUuid": str(read_only_role.uuid), "defaultTeamUuid": str(team.uuid)},
    )

    invited = _admin(acme).post(
        "/admin/users/invite-user", {"email": "new@acme.example", "name": "New"}, content_type="application/json"
    )
    published = _admin(acme).post("/pacticipants", {"name": "Checkout"}, content_type="application/json")

    assert invited.status_code == 201, invited.content
    assert published.status_code in (200, 201), published.content
    with schema_context(acme.schema):
        person = User.objects.get(email="new@acme.example")
        assert [role.key for role in person.roles.all()] == ["read_only"]
        assert list(person.teams.values_list("name", flat=True)) == ["Alpha"]
        assert list(Team.objects.get(name="Alpha").pacticipants.values_list("pacticipant_name", flat=True)) == [
            "Checkout"
        ]
        assert not Team.objects.get(name="Default").pacticipants.filter(pacticipant_name="Checkout").exists()


@pytest.mark.django_db
def test_without_a_default_team_preference_new_people_join_the_default_team_and_after_its_deletion_none(acme):
    with schema_context(acme.schema):
        team = services.team_create(actor=None, name="Alpha")
    _put(_admin(acme), "/preferences/system", {"defaultTeamUuid": str(team.uuid)})
    with schema_context(acme.schema):
        services.team_delete(actor=None, team=team)
        person = services.user_create(email="p@acme.example", name="P", password=None)
        assert list(person.teams.values_list("name", flat=True)) == ["Default"]
    # The deleted team is no longer named, and the change is in the audit log.
    assert _values(_admin(acme).get("/preferences/system"))["defaultTeamUuid"] is None
    with schema_context(acme.schema):
        last = AuditEvent.objects.filter(action="preferences.system_changed").order_by("-id").first()
        assert last.details == {"before": {"defaultTeamUuid": str(team.uuid)}, "after": {"defaultTeamUuid": None}}


@pytest.mark.django_db
def test_a_default_role_that_does_not_fit_a_viewer_seat_leaves_viewer_seats_their_viewer_role(acme):
    with schema_context(acme.schema):
        ci = services.builtin_role("ci")
    _put(_admin(acme), "/preferences/system", {"defaultRoleUuid": str(ci.uuid)})
    with schema_context(acme.schema):
        editor = services.user_create(email="e@acme.example", name="E", password=None)
        viewer = services.user_create(email="v@acme.example", name="V", password=None, seat_type="viewer")
        assert [role.key for role in editor.roles.all()] == ["ci"]
        assert [role.key for role in viewer.roles.all()] == ["viewer"]


# --- Token expiry policy ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_token_expiry_policy_bounds_new_and_regenerated_tokens_and_expired_ones_get_the_unknown_401(acme):
    _put(_admin(acme), "/preferences/system", {"apiTokenExpiry": {"amount": 2, "unit": "hours"}})
    dev = member_create(acme, email="dev@acme.example", roles=["user"])
    before = timezone.now()

    created = dev.client().post(
        "/settings/tokens", {"description": "ci", "readOnly": False}, content_type="application/json"
    )
    later = dev.client().post(
        "/settings/tokens",
        {"description": "late", "readOnly": False, "expiresAt": "2099-01-01T00:00:00Z"},
        content_type="application/json",
    )
    sooner = dev.client().post(
        "/settings/tokens",
        {"description": "soon", "readOnly": False, "expiresAt": (before + timedelta(hours=1)).isoformat()},
        content_type="application/json",
    )

    assert created.status_code == 201 and later.status_code == 201 and sooner.status_code == 201
    with schema_context(acme.schema):
        by_name = {t.name: t for t in ApiToken.objects.filter(user=dev.user)}
        for name in ("ci", "late"):
            assert (
                timedelta(hours=2) - timedelta(minutes=1)
                <= by_name[name].expires_at - before
                <= timedelta(hours=2, minutes=1)
            )
        assert by_name["soon"].expires_at - before <= timedelta(hours=1, seconds=5)
        # Tokens made before the policy keep their expiry (none).
        assert ApiToken.objects.get(user=acme.admin, name="rw").expires_at is None
        # Expired: refused exactly as an unknown token.
        ApiToken.objects.filter(user=dev.user, name="ci").update(expires_at=before - timedelta(seconds=1))
    secret = created.json()["value"]
    expired = Client(HTTP_HOST=acme.host, HTTP_AUTHORIZATION=f"Bearer {secret}").get("/user")
    unknown = Client(HTTP_HOST=acme.host, HTTP_AUTHORIZATION="Bearer not-a-token-at-all").get("/user")
    assert expired.status_code == unknown.status_code == 401
    assert expired.json() == unknown.json()
    # Regenerating gives a fresh lifetime under the policy.
    with schema_context(acme.schema):
        token = ApiToken.objects.get(user=dev.user, name="ci")
    regenerated = dev.client().post(f"/settings/tokens/{token.uuid}/regenerate", {}, content_type="application/json")
    assert regenerated.status_code == 201
    with schema_context(acme.schema):
        token.refresh_from_db()
        assert token.expires_at > timezone.now() + timedelta(hours=1, minutes=58)


@pytest.mark.django_db
def test_months_are_calendar_months(acme):
    from datetime import UTC, datetime

    from apps.accounts.preferences import ExpiryPolicy

    assert ExpiryPolicy(1, "months").expiry_from(datetime(2026, 1, 31, tzinfo=UTC)) == datetime(2026, 2, 28, tzinfo=UTC)
    assert ExpiryPolicy(13, "months").expiry_from(datetime(2026, 3, 5, tzinfo=UTC)) == datetime(2027, 4, 5, tzinfo=UTC)
    assert ExpiryPolicy(1, "weeks").expiry_from(datetime(2026, 3, 5, tzinfo=UTC)) == datetime(2026, 3, 12, tzinfo=UTC)
