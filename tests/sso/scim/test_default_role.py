"""The organisation's default role and team (system preferences) for people the directory
provisions (SCIM) and people SAML signs up just in time; the SCIM account grants the default role
although it holds none of its permissions (issue 17), and never another one."""

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import User
from apps.accounts.services.preferences import system_preferences_update
from tests.sso.scim.conftest import okta_user
from tests.sso.test_saml_login import _post

pytestmark = pytest.mark.django_db


def _defaults(org, *, role: str, team: str | None = None) -> None:
    with schema_context(org.schema):
        values = {"defaultRoleUuid": str(services.builtin_role(role).uuid)}
        if team:
            values["defaultTeamUuid"] = str(services.team_create(actor=None, name=team).uuid)
        system_preferences_update(actor=None, values=values)


def test_scim_provisions_with_the_default_role_and_team_and_the_outsider_keeps_its_own(scim_acme, scim_globex):
    _defaults(scim_acme.org, role="read_only", team="Platform")

    ours = scim_acme.scim().post("/Users", okta_user("alex@acme.example"))
    theirs = scim_globex.scim().post("/Users", okta_user("alex@globex.example"))

    assert ours.status_code == 201 and theirs.status_code == 201
    with schema_context(scim_acme.schema):
        alex = User.objects.get(email="alex@acme.example")
        assert [role.key for role in alex.roles.all()] == ["read_only"]
        assert list(alex.teams.values_list("name", flat=True)) == ["Platform"]
    with schema_context(scim_globex.schema):
        alex = User.objects.get(email="alex@globex.example")
        assert [role.key for role in alex.roles.all()] == ["user"]
        assert list(alex.teams.values_list("name", flat=True)) == ["Default"]


def test_saml_just_in_time_sign_up_gets_the_default_role(saml_acme, idp):
    _defaults(saml_acme.org, role="read_only")
    client = saml_acme.org.browser()
    response = idp.login_response(sp_entity_id=saml_acme.entity_id, acs_url=saml_acme.acs, name_id="new@acme.example")

    assert _post(client, response).status_code == 302
    with schema_context(saml_acme.org.schema):
        person = User.objects.get(email="new@acme.example")
        assert [role.key for role in person.roles.all()] == ["read_only"]
