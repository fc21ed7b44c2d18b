"""`environment:read:team` and `system_account:read:team` (issue 17): lists show only what one's
teams own, and a single read of anything else is the 404 of an unknown one; `*` sees everything;
another organisation's token sees nothing."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from tests.accounts.conftest import member_create, plan_set
from tests.support.factories import environment_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(acme):
    plan_set(acme)
    with schema_context(acme.schema):
        alpha = services.team_create(actor=None, name="Alpha")
        beta = services.team_create(actor=None, name="Beta")
        ours, theirs, nobodys = (
            environment_ensure("alpha-env"),
            environment_ensure("beta-env"),
            environment_ensure("shared"),
        )
        ours.teams.set([alpha])
        theirs.teams.set([beta])
        no_access = services.builtin_role("no_access")
        bot_in = services.system_account_create(actor=None, name="bot-in", roles=[no_access])
        bot_out = services.system_account_create(actor=None, name="bot-out", roles=[no_access])
        services.team_update(actor=None, team=alpha, member_uuids=[str(bot_in.uuid)])
        services.team_update(actor=None, team=beta, member_uuids=[str(bot_out.uuid)])
        default = services.team_default()
        if default is not None:  # team scopes decide from here on
            services.team_delete(actor=None, team=default)
    return {
        "alpha": alpha,
        "ours": ours,
        "theirs": theirs,
        "nobodys": nobodys,
        "bot_in": bot_in,
        "bot_out": bot_out,
    }


def _env_names(response) -> list[str]:
    return sorted(env["name"] for env in response.json()["_embedded"]["environments"])


def test_environment_read_team_lists_and_reads_its_teams_and_team_less_environments(acme, outsider, teams):
    dev = member_create(acme, email="dev@acme.example", roles=["user"])  # environment:read:team
    ci = member_create(acme, email="ci@acme.example", roles=["ci"])  # environment:read:*
    with schema_context(acme.schema):
        teams["alpha"].members.add(dev.user)

    listed = dev.client().get("/environments")
    own = dev.client().get(f"/environments/{teams['ours'].uuid}")
    other = dev.client().get(f"/environments/{teams['theirs'].uuid}")
    nobodys = dev.client().get(f"/environments/{teams['nobodys'].uuid}")
    unknown = dev.client().get("/environments/00000000-0000-0000-0000-000000000009")
    everything = ci.client().get("/environments")
    admin = acme.client().get(f"/environments/{teams['theirs'].uuid}")
    foreign = Client(HTTP_HOST=outsider.host, HTTP_AUTHORIZATION=f"Bearer {dev.token}").get("/environments")

    assert listed.status_code == 200 and _env_names(listed) == ["alpha-env", "shared"]
    assert own.status_code == 200 and own.json()["name"] == "alpha-env"
    assert nobodys.status_code == 200 and nobodys.json()["name"] == "shared"
    assert other.status_code == unknown.status_code == 404
    assert other.content == unknown.content
    assert {"alpha-env", "beta-env", "shared"} <= set(_env_names(everything))
    assert admin.status_code == 200
    assert foreign.status_code == 401


def test_system_account_read_team_lists_and_reads_only_its_teams_accounts(acme, outsider, teams):
    reader = member_create(acme, email="reader@acme.example", permissions=["system_account:read:team", "user:read:*"])
    everyone = member_create(acme, email="all@acme.example", permissions=["system_account:read:*"])
    with schema_context(acme.schema):
        teams["alpha"].members.add(reader.user)

    listed = reader.client().get("/admin/system-accounts")
    own = reader.client().get(f"/admin/system-accounts/{teams['bot_in'].uuid}")
    other = reader.client().get(f"/admin/system-accounts/{teams['bot_out'].uuid}")
    unknown = reader.client().get("/admin/system-accounts/00000000-0000-0000-0000-000000000009")
    all_listed = everyone.client().get("/admin/system-accounts")
    foreign = Client(HTTP_HOST=outsider.host, HTTP_AUTHORIZATION=f"Bearer {reader.token}").get("/admin/system-accounts")

    assert listed.status_code == 200
    assert [a["name"] for a in listed.json()["systemAccounts"]] == ["bot-in"]
    assert listed.json()["page"]["totalElements"] == 1
    assert own.status_code == 200 and own.json()["name"] == "bot-in"
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json() == {"error": "No such system account."}
    assert {"bot-in", "bot-out"} <= {a["name"] for a in all_listed.json()["systemAccounts"]}
    assert foreign.status_code == 401
