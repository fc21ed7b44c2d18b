"""Route × role × team: every API route and UI page, each built-in role, inside and outside the
resource's team, allowed or refused (issue 17).

The table below names, for each route and method, a concrete request and the rule it follows; the
rule says, for each of PactFlow's built-in roles, whether a member of team Alpha may do it on Alpha's
resources ("inside") and on team Beta's ("outside"). The table is checked against the URL resolver:
a new route without an entry fails `test_every_route_has_an_entry`.

One organisation ("acme", built once per module and committed) has teams Alpha and Beta, each owning
an integration, an environment, a webhook, a secret and a system account; the Default team is
deleted (as an administrator would), so team scopes decide. A second organisation's administrator
is the outsider: its token is unknown here (401) and its session means nothing here (sign-in page).
Each request runs in a savepoint rolled back afterwards, so one role's DELETE never hides the
resource from the next role.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django_tenants.utils import schema_context

from apps.accounts import services as accounts
from apps.accounts.models import ApiToken, Team
from apps.accounts.permissions import BUILTIN_ROLES
from apps.contracts.services import label_add
from apps.webhooks.models import Webhook
from tests.support.factories import deploy, environment_ensure, pact_publish, release, verify
from tests.support.tenancy import org_create
from tests.support.webhook_builders import webhook_create

ROLES = [
    "administrator",
    "user",
    "ci",
    "viewer",
    "read_only",
    "team_administrator",
    "organization_administrator",
    "scim",
    "no_access",
]
assert set(ROLES) == set(BUILTIN_ROLES)

# One letter a role, in the order of ROLES: A allowed, T allowed inside the team only, D refused.
#             adm usr ci  vwr ro  tad oad scm non
RULES = {
    # -- API (bearer tokens; a Viewer's token opens nothing) --
    "self": "A A A A A A A A A",  # GET /user
    "read": "A A A D A D D D D",  # contract_data:read
    "test_error": "A A A D A D D D D",  # /test/error: contract_data:read, and then the broker's deliberate 500
    "manage": "A T T D D D D D D",  # contract_data:manage (team / own / *)
    "create": "A A A D D D D D D",  # a new application: :own or :* (User and CI/CD hold :own)
    "bulk": "A T D D D D D D D",  # contract_data:bulk_delete
    "bulk_all": "A D D D D D D D D",  # every integration at once: bulk_delete:* only
    "deploy": "A D A D D D D D D",  # deployment_and_release:record
    "env_manage": "A D D D D D D D D",
    # environment:read:team (User) sees its teams' environments only; another is a 404. Read-Only
    # holds no environment:read and reads under contract_data:read, as the open-source clients do.
    "env_read": "A T A D A D D D D",
    "webhook": "A T D D D D D D D",
    "secret": "A T D D D D D D D",
    "secret_list": "A A D D D D D D D",
    "token": "A A D D A D D D D",  # token:manage:own
    "user_read": "A A D D A D A A D",
    # Inviting with the organisation's default role (User here) is open to whoever holds user:invite
    # (PactFlow's rule), although Organization Administrators and SCIM hold none of its contract-data
    # permissions; any other grant keeps the delegation ceiling (tests/security/test_delegation.py).
    "user_invite": "A D D D D D A A D",
    "user_manage": "A D D D D D A A D",  # on a person with the No Access role
    "admin_grant": "A D D D D D D D D",  # making someone Administrator
    "role_read": "A A D D D D A D D",
    "role_manage": "A D D D D D A D D",
    "team_read": "A A D D A D A A D",
    "team_manage": "A D D D D T A A D",  # a Team Administrator manages the team they administer
    "team_create": "A D D D D D A A D",
    "sa_read": "A A D D D D A D D",
    "sa_manage": "A T D D D D A D D",  # system accounts with the No Access role
    # A new system account gets the CI/CD role: the ceiling again (see user_invite).
    "sa_create": "A D D D D D D D D",
    "audit": "A D D D D D D D D",
    "prefs_read": "A A A D A A A A A",  # any member (a Viewer's token opens nothing); one's own preferences
    "prefs_manage": "A D D D D D D D D",  # system_preference:manage:*
    "auth_settings": "A D D D D D A D D",
    "scim": "D D D D D D D D D",  # a person is not a directory (sso/scim/)
    # -- pages (sessions; a Viewer may use the UI) --
    "ui_any": "A A A A A A A A A",
    "ui_read": "A A A A A D D D D",
    "ui_webhook": "A T D D D D D D D",
    "ui_env_manage": "A D D D D D D D D",  # as env_manage: creating one no team owns needs environment:manage:*
    "ui_secret_read": "A A D D D D D D D",
    "ui_secret": "A T D D D D D D D",
    "ui_token": "A A D D A D D D D",
    "ui_user_read": "A A D A A D A A D",
    "ui_user_invite": "A D D D D D A A D",
    "ui_user_manage": "A D D D D D A A D",
    "ui_sa_read": "A A D D D D A D D",
    "ui_sa_page": "A A D D D D A D D",
    "ui_sa_manage": "A T D D D D A D D",
    "ui_sa_create": "A D D D D D D D D",
    "ui_role_read": "A A D D D D A D D",
    "ui_role_manage": "A D D D D D A D D",
    "ui_team_read": "A A D A A D A A D",
    "ui_team_manage": "A D D D D T A A D",
    "ui_team_create": "A D D D D D A A D",
    "ui_audit": "A D D D D D D D D",
    "ui_settings": "A D D D D D A D D",
    "ui_billing": "A D D D D D D D D",
    "ui_admin": "A D D D D D D D D",  # organisation-wide settings: system_preference:manage
}
RULES = {name: dict(zip(ROLES, codes.split(), strict=True)) for name, codes in RULES.items()}

PACT = {
    "consumer": {"name": "{C}"},
    "provider": {"name": "{P}"},
    "interactions": [{"description": "x", "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}],
    "metadata": {"pactSpecification": {"version": "2.0.0"}},
}
VERIFICATION = {"success": True, "providerApplicationVersion": "9.0.0"}
OAS = {"content": "b3BlbmFwaTogMy4wLjAK", "contentType": "application/yaml", "specification": "oas"}
WEBHOOK = {
    "events": [{"name": "contract_published"}],
    "request": {"method": "POST", "url": "https://hooks.example.com/x"},
    "teamUuid": "{TEAM}",
}
C, PV = "pacts/provider/{P}/consumer/{C}", "pacticipants/{C}"
SHA = f"{C}/pact-version/{{SHA}}"

API = [
    ("GET", "user", "self", None),
    ("GET", "settings/tokens", "token", None),
    ("POST", "settings/tokens", "token", {"description": "laptop"}),
    ("GET", "settings/tokens/{OWN_TOKEN}", "token", None),
    ("DELETE", "settings/tokens/{OWN_NAMED}", "token", None),
    ("POST", "settings/tokens/{OWN_TOKEN}/regenerate", "token", {}),
    ("GET", "admin/users", "user_read", None),
    ("POST", "admin/users", "user_invite", {"email": "new@acme.example", "name": "New"}),
    ("POST", "admin/users/invite-user", "user_invite", {"email": "inv@acme.example", "name": "Inv"}),
    ("POST", "admin/users/invite-users", "user_invite", {"users": [{"email": "inv2@acme.example"}]}),
    ("GET", "admin/users/{TARGET}", "user_read", None),
    ("PUT", "admin/users/{TARGET}", "user_manage", {"name": "Renamed"}),
    ("PATCH", "admin/users/{TARGET}", "user_manage", {"name": "Renamed"}),
    ("DELETE", "admin/users/{TARGET}", "user_manage", None),
    ("GET", "admin/users/{TARGET}/roles", "user_read", None),
    ("PUT", "admin/users/{TARGET}/roles", "user_manage", {"roles": ["{NO_ACCESS_ROLE}"]}),
    ("PUT", "admin/users/{TARGET}/roles/{NO_ACCESS_ROLE}", "user_manage", {}),
    ("DELETE", "admin/users/{TARGET}/roles/{NO_ACCESS_ROLE}", "user_manage", None),
    ("PUT", "admin/users/{TARGET}/role/admin", "admin_grant", {}),
    ("DELETE", "admin/users/{TARGET}/role/admin", "user_manage", None),
    ("GET", "admin/users/{TARGET}/tokens", "user_manage", None),
    ("POST", "admin/users/{TARGET}/tokens/{TARGET_TOKEN}/regenerate", "user_manage", {}),
    ("GET", "admin/invitations", "user_manage", None),
    ("DELETE", "admin/invitations/{INVITEE}", "user_manage", None),
    ("GET", "admin/system-accounts", "sa_read", None),
    ("POST", "admin/system-accounts", "sa_create", {"name": "bot-two"}),
    ("GET", "admin/system-accounts/{BOT}", "sa_read", None),
    ("PUT", "admin/system-accounts/{BOT}", "sa_manage", {"name": "bot-renamed"}),
    ("PATCH", "admin/system-accounts/{BOT}", "sa_manage", {"name": "bot-renamed"}),
    ("DELETE", "admin/system-accounts/{BOT}", "sa_manage", None),
    ("GET", "admin/system-accounts/{BOT}/tokens", "sa_manage", None),
    ("POST", "admin/system-accounts/{BOT}/tokens", "sa_manage", {"description": "deploy-2"}),
    ("DELETE", "admin/system-accounts/{BOT}/tokens/{BOT_NAMED}", "sa_manage", None),
    ("POST", "admin/system-accounts/{BOT}/tokens/{BOT_TOKEN}/regenerate", "sa_manage", {}),
    ("GET", "admin/roles", "role_read", None),
    ("POST", "admin/roles", "role_manage", {"name": "Nothing", "permissions": []}),
    ("POST", "admin/roles/reset", "role_manage", {}),
    ("GET", "admin/roles/{ROLE}", "role_read", None),
    ("PUT", "admin/roles/{ROLE}", "role_manage", {"name": "Extra two", "permissions": []}),
    ("DELETE", "admin/roles/{ROLE}", "role_manage", None),
    ("GET", "admin/permissions", "role_read", None),
    ("GET", "admin/teams", "team_read", None),
    ("POST", "admin/teams", "team_create", {"name": "Gamma"}),
    ("GET", "admin/teams/{TEAM}", "team_read", None),
    ("PUT", "admin/teams/{TEAM}", "team_manage", {"name": "Renamed team"}),
    ("DELETE", "admin/teams/{TEAM}", "team_manage", None),
    ("GET", "admin/teams/{TEAM}/users", "team_read", None),
    ("PUT", "admin/teams/{TEAM}/users", "team_manage", {"users": ["{TARGET}"]}),
    ("POST", "admin/teams/{TEAM}/users", "team_manage", {"users": ["{TARGET}"]}),
    ("DELETE", "admin/teams/{TEAM}/users", "team_manage", {"users": ["{TARGET}"]}),
    (
        "PATCH",
        "admin/teams/{TEAM}/users",
        "team_manage",
        [{"op": "add", "path": "/users", "value": {"uuid": "{TARGET}"}}],
    ),
    ("GET", "admin/teams/{TEAM}/users/{TARGET}", "team_read", None),
    ("DELETE", "admin/teams/{TEAM}/users/{TARGET}", "team_manage", None),
    ("GET", "audit", "audit", None),
    ("GET", "preferences/system", "prefs_read", None),
    ("PUT", "preferences/system", "prefs_manage", {"preferences": [{"name": "loginBanner", "value": "hi"}]}),
    ("GET", "preferences/current-user", "prefs_read", None),
    ("PUT", "preferences/current-user", "prefs_read", {"preferences": [{"name": "tokenExpiryAlert", "value": False}]}),
    ("GET", "pacts/provider/{P}/for-verification", "read", None),
    ("POST", "pacts/provider/{P}/for-verification", "read", {}),
    ("GET", f"{C}/latest/badge", "read", None),
    ("GET", f"{C}/latest-untagged/badge", "read", None),
    ("GET", f"{C}/latest/prod/badge", "read", None),
    ("GET", "matrix/provider/{P}/latest/prod/consumer/{C}/latest/prod/badge", "read", None),
    ("GET", "doc/pacticipants", "read", None),
    ("GET", "test/error", "test_error", None),
    ("POST", f"{SHA}/verification-results", "manage", VERIFICATION),
    ("POST", f"{SHA}/metadata/e30/verification-results", "manage", VERIFICATION),
    ("GET", f"{SHA}/verification-results/1", "read", None),
    ("DELETE", f"{SHA}/verification-results/1", "manage", None),
    ("DELETE", f"{SHA}/metadata/e30/verification-results/1", "manage", None),
    ("GET", f"{C}/version/1.0.0/verification-results/latest", "read", None),
    ("GET", f"{C}/latest/verification-results/latest", "read", None),
    ("GET", f"{C}/latest/prod/verification-results/latest", "read", None),
    ("GET", "verification-results/consumer/{C}/version/1.0.0/latest", "read", None),
    ("GET", "pacticipants", "read", None),
    ("POST", "pacticipants", "manage", {"name": "{C}"}),
    ("GET", "labels", "read", None),
    ("GET", "pacticipants/label/lbl", "read", None),
    ("GET", PV, "read", None),
    ("PUT", PV, "manage", {"displayName": "Shown"}),
    ("PATCH", PV, "manage", {"displayName": "Shown"}),
    ("DELETE", PV, "bulk", None),
    ("PUT", f"{PV}/labels/lbl2", "manage", {}),
    ("DELETE", f"{PV}/labels/lbl", "manage", None),
    ("GET", f"{PV}/versions", "read", None),
    ("GET", f"{PV}/versions/1.0.0", "read", None),
    ("PUT", f"{PV}/versions/1.0.0", "manage", {"buildUrl": "http://ci/1"}),
    ("PATCH", f"{PV}/versions/1.0.0", "manage", {"buildUrl": "http://ci/1"}),
    ("DELETE", f"{PV}/versions/1.0.0", "manage", None),
    ("PUT", f"{PV}/versions/1.0.0/tags/qa", "manage", {}),
    ("DELETE", f"{PV}/versions/1.0.0/tags/prod", "manage", None),
    ("GET", f"{PV}/latest-version", "read", None),
    ("GET", f"{PV}/latest-version/prod", "read", None),
    ("GET", f"{PV}/tags/prod/versions", "read", None),
    ("GET", f"{PV}/branches", "read", None),
    ("DELETE", f"{PV}/branches", "bulk", None),
    ("PUT", f"{PV}/branches/feat/versions/1.0.0", "manage", {}),
    ("DELETE", f"{PV}/branches/main/versions/1.0.0", "manage", None),
    ("GET", f"{PV}/branches/main/versions", "read", None),
    ("GET", f"{PV}/branches/main/latest-version", "read", None),
    ("GET", f"{PV}/branches/main", "read", None),
    ("DELETE", f"{PV}/branches/main", "manage", None),
    (
        "POST",
        "contracts/publish",
        "manage",
        {
            "pacticipantName": "{C}",
            "pacticipantVersionNumber": "5.0.0",
            "contracts": [
                {
                    "consumerName": "{C}",
                    "providerName": "{P}",
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": "{PACT_B64}",
                }
            ],
        },
    ),
    (
        "POST",
        "contracts/publish",
        "create",
        {
            "pacticipantName": "Brand-new",
            "pacticipantVersionNumber": "5.0.0",
            "contracts": [
                {
                    "consumerName": "Brand-new",
                    "providerName": "{P}",
                    "specification": "pact",
                    "contentType": "application/json",
                    "content": "{NEW_PACT_B64}",
                }
            ],
        },
    ),
    ("GET", "pacts/latest", "read", None),
    ("GET", "metrics", "read", None),
    ("GET", "relationships", "read", None),
    ("GET", "groups/{C}", "read", None),
    ("GET", "pacts/provider/{P}/provider-states", "read", None),
    ("GET", "pacts/provider/{P}/provider-states/branch/main", "read", None),
    ("GET", "integrations", "read", None),
    ("DELETE", "integrations", "bulk_all", None),
    ("GET", "integrations/team/{TEAM}", "read", None),
    ("DELETE", "integrations/provider/{P}/consumer/{C}", "bulk", None),
    ("GET", f"{C}/version/1.0.0", "read", None),
    ("PUT", f"{C}/version/1.0.0", "manage", PACT),
    ("PATCH", f"{C}/version/1.0.0", "manage", PACT),
    ("DELETE", f"{C}/version/1.0.0", "manage", None),
    ("GET", f"{C}/versions/1.0.0", "read", None),
    ("GET", "pact/provider/{P}/consumer/{C}/version/1.0.0", "read", None),
    ("GET", f"{C}/version/1.0.0/previous-distinct", "read", None),
    ("GET", f"{C}/version/1.0.0/diff/previous-distinct", "read", None),
    ("GET", f"{C}/version/1.0.0/diff/version/1.0.0", "read", None),
    ("GET", SHA, "read", None),
    ("GET", f"{SHA}/metadata/e30", "read", None),
    ("GET", f"{SHA}/diff/pact-version/{{SHA}}", "read", None),
    ("GET", f"{C}/latest", "read", None),
    ("GET", f"{C}/latest-untagged", "read", None),
    ("GET", f"{C}/latest/prod", "read", None),
    ("GET", f"{C}/versions", "read", None),
    ("DELETE", f"{C}/versions", "bulk", None),
    ("DELETE", f"{C}/tag/prod", "bulk", None),
    ("GET", f"{C}/branch/versions", "read", None),
    ("GET", f"{C}/branch/latest/versions", "read", None),
    ("GET", f"{C}/branch/main/latest/versions", "read", None),
    ("GET", f"{C}/branch/main/latest", "read", None),
    ("GET", f"{C}/branch/main", "read", None),
    ("DELETE", f"{C}/branch/main", "bulk", None),
    ("GET", "pacts/provider/{P}", "read", None),
    ("GET", "pacts/provider/{P}/tag/prod", "read", None),
    ("GET", "pacts/provider/{P}/latest", "read", None),
    ("GET", "pacts/provider/{P}/latest/prod", "read", None),
    ("GET", "pacts/provider/{P}/branch", "read", None),
    ("GET", "pacts/provider/{P}/branch/latest", "read", None),
    ("GET", "pacts/provider/{P}/branch/main", "read", None),
    ("GET", "pacts/provider/{P}/branch/main/latest", "read", None),
    (
        "POST",
        "provider-contracts/provider/{P}/publish",
        "manage",
        {"pacticipantVersionNumber": "7.0.0", "contract": OAS},
    ),
    ("GET", "provider-contracts/provider/{P}", "read", None),
    ("GET", "contracts/provider/{P}/version/2.0.0", "read", None),
    ("PUT", "contracts/provider/{P}/version/7.0.0", "manage", {**OAS, "contractType": "oas"}),
    ("DELETE", "contracts/provider/{P}/version/2.0.0", "manage", None),
    ("GET", "contracts/provider/{P}/version/2.0.0/consumer/{C}/pact-version/{SHA}/verification-results", "read", None),
    ("GET", "contracts/bi-directional/provider/{P}/version/2.0.0/provider-contract", "read", None),
    ("GET", "contracts/bi-directional/provider/{P}/version/2.0.0/provider-contract-verification-results", "read", None),
    ("GET", "environments", "read", None),
    ("POST", "environments", "env_manage", {"name": "staging", "production": False, "teamUuids": ["{TEAM}"]}),
    ("GET", "environments/{ENV}", "env_read", None),
    ("PUT", "environments/{ENV}", "env_manage", {"name": "renamed", "production": False}),
    ("DELETE", "environments/{ENV}", "env_manage", None),
    ("GET", "environments/{ENV}/deployed-versions/currently-deployed", "read", None),
    ("GET", "environments/{ENV}/released-versions/currently-supported", "read", None),
    ("GET", f"{PV}/versions/1.0.0/deployed-versions/environment/{{ENV}}", "read", None),
    ("POST", f"{PV}/versions/1.0.0/deployed-versions/environment/{{ENV}}", "deploy", {}),
    ("GET", f"{PV}/versions/1.0.0/released-versions/environment/{{ENV}}", "read", None),
    ("POST", f"{PV}/versions/1.0.0/released-versions/environment/{{ENV}}", "deploy", {}),
    ("GET", "deployed-versions/{DEPLOYED}", "read", None),
    ("PATCH", "deployed-versions/{DEPLOYED}", "deploy", {"currentlyDeployed": False}),
    ("GET", "released-versions/{RELEASED}", "read", None),
    ("PATCH", "released-versions/{RELEASED}", "deploy", {"currentlySupported": False}),
    ("GET", "matrix?q[][pacticipant]={C}&q[][version]=1.0.0", "read", None),
    ("GET", "matrix/provider/{P}/consumer/{C}", "read", None),
    ("GET", "can-i-deploy?pacticipant={C}&version=1.0.0&environment=env-in", "read", None),
    ("GET", f"{PV}/latest-version/prod/can-i-deploy/to/prod", "read", None),
    ("GET", f"{PV}/latest-version/prod/can-i-deploy/to/prod/badge", "read", None),
    ("GET", f"{PV}/branches/main/latest-version/can-i-deploy/to-environment/env-in", "read", None),
    ("GET", f"{PV}/branches/main/latest-version/can-i-deploy/to-environment/env-in/badge", "read", None),
    ("GET", f"{PV}/main-branch/can-i-merge/badge", "read", None),
    ("GET", "webhooks", "read", None),
    ("POST", "webhooks", "webhook", WEBHOOK),
    ("POST", "webhooks/execute", "webhook", WEBHOOK),
    ("GET", "webhooks/provider/{P}/consumer/{C}", "read", None),
    ("POST", "webhooks/provider/{P}/consumer/{C}", "webhook", WEBHOOK),
    ("GET", "webhooks/provider/{P}", "read", None),
    ("POST", "webhooks/provider/{P}", "webhook", WEBHOOK),
    ("GET", "webhooks/consumer/{C}", "read", None),
    ("POST", "webhooks/consumer/{C}", "webhook", WEBHOOK),
    ("GET", "webhooks/{WEBHOOK}", "read", None),
    ("PUT", "webhooks/{WEBHOOK}", "webhook", WEBHOOK),
    ("DELETE", "webhooks/{WEBHOOK}", "webhook", None),
    ("POST", "webhooks/{WEBHOOK}/execute", "webhook", {}),
    ("GET", f"{C}/webhooks", "read", None),
    ("POST", f"{C}/webhooks", "webhook", WEBHOOK),
    ("GET", f"{C}/webhooks/status", "read", None),
    ("GET", f"{C}/version/1.0.0/triggered-webhooks", "read", None),
    ("GET", f"{SHA}/verification-results/1/triggered-webhooks", "read", None),
    ("GET", "triggered-webhooks/00000000-0000-0000-0000-000000000000/logs", "read", None),
    ("GET", "secrets", "secret_list", None),
    ("POST", "secrets", "secret", {"name": "NEW_SECRET", "value": "v", "teamUuid": "{TEAM}"}),
    ("GET", "secrets/{SECRET}", "secret", None),
    ("PUT", "secrets/{SECRET}", "secret", {"description": "changed"}),
    ("PATCH", "secrets/{SECRET}", "secret", {"description": "changed"}),
    ("DELETE", "secrets/{SECRET}", "secret", None),
    ("GET", "admin/sso", "auth_settings", None),
    ("PUT", "admin/sso/policy", "auth_settings", {}),
    ("PUT", "admin/sso/github", "auth_settings", {}),
    ("GET", "", "read", None),
]

# SCIM (sso/scim/): only a *system account* holding the SCIM role, in an Enterprise organisation with
# SAML on, is let in (tests/sso/scim/ shows that side). Here every member is a person on another plan,
# so every role is refused, in SCIM's error shape.
SCIM_API = [
    ("GET", "ServiceProviderConfig", None),
    ("GET", "Schemas", None),
    ("GET", "Schemas/x", None),
    ("GET", "ResourceTypes", None),
    ("GET", "ResourceTypes/User", None),
    ("GET", "Users", None),
    ("POST", "Users", {"userName": "scim@acme.example"}),
    ("GET", "Users/{TARGET}", None),
    ("PUT", "Users/{TARGET}", {"userName": "scim@acme.example"}),
    ("PATCH", "Users/{TARGET}", {"Operations": [{"op": "replace", "value": {"active": False}}]}),
    ("DELETE", "Users/{TARGET}", None),
    ("GET", "Groups", None),
    ("POST", "Groups", {"displayName": "SCIM"}),
    ("GET", "Groups/{TEAM}", None),
    ("PATCH", "Groups/{TEAM}", {"Operations": [{"op": "replace", "path": "displayName", "value": "X"}]}),
    ("DELETE", "Groups/{TEAM}", None),
    ("GET", "Bulk", None),
]
API += [(method, prefix + path, "scim", body) for prefix in ("scim/v2/", "scim/") for method, path, body in SCIM_API]

# Pages: (method, path, rule, form data)
PAGES = [
    ("GET", "account/password", "ui_any", None),
    ("GET", "settings/preferences", "ui_any", None),
    ("POST", "settings/preferences", "ui_any", {"part": "personal"}),
    ("POST", "settings/preferences", "ui_admin", {"part": "system", "login_banner": "hi"}),
    ("GET", "account/tokens", "ui_token", None),
    ("POST", "account/tokens", "ui_token", {"action": "create", "name": "laptop", "read_only": "on"}),
    ("GET", "organisation/users", "ui_user_read", None),
    ("POST", "organisation/users", "ui_user_invite", {"email": "ui@acme.example"}),
    ("GET", "organisation/users/{TARGET}", "ui_user_read", None),
    ("POST", "organisation/users/{TARGET}", "ui_user_manage", {"action": "deactivate"}),
    ("GET", "organisation/system-accounts", "ui_sa_read", None),
    ("POST", "organisation/system-accounts", "ui_sa_create", {"name": "ui-bot"}),
    ("GET", "organisation/system-accounts/{BOT}", "ui_sa_page", None),
    ("POST", "organisation/system-accounts/{BOT}", "ui_sa_manage", {"action": "deactivate"}),
    ("GET", "organisation/roles", "ui_role_read", None),
    ("POST", "organisation/roles", "ui_role_manage", {"name": "UI role"}),
    ("GET", "organisation/roles/{ROLE}", "ui_role_read", None),
    ("POST", "organisation/roles/{ROLE}", "ui_role_manage", {"name": "Extra three"}),
    ("GET", "organisation/teams", "ui_team_read", None),
    ("POST", "organisation/teams", "ui_team_create", {"name": "UI team"}),
    ("GET", "organisation/teams/{TEAM}", "ui_team_read", None),
    ("POST", "organisation/teams/{TEAM}", "ui_team_manage", {"name": "Renamed in UI"}),
    ("GET", "organisation/audit", "ui_audit", None),
    ("GET", "organisation/audit/export", "ui_audit", None),
    ("GET", "settings/import", "ui_admin", None),
    ("GET", "settings/organisation", "ui_admin", None),
    ("POST", "settings/organisation/close", "ui_admin", {}),
    ("POST", "settings/organisation/reopen", "ui_admin", {}),
    ("GET", "settings/data", "ui_admin", None),
    ("POST", "settings/data/export", "ui_admin", {}),
    ("GET", "settings/data/export/00000000-0000-0000-0000-000000000000", "ui_admin", None),
    ("GET", "settings/retention", "ui_admin", None),
    ("POST", "settings/retention/policy", "ui_admin", {}),
    ("POST", "settings/retention/dry-run", "ui_admin", {}),
    ("GET", "settings/subscription", "ui_billing", None),
    ("POST", "settings/subscription/checkout", "ui_billing", {}),
    ("POST", "settings/subscription/portal", "ui_billing", {}),
    ("POST", "settings/subscription/plan", "ui_billing", {}),
    ("POST", "settings/subscription/seats", "ui_billing", {}),
    ("GET", "settings/sso", "ui_settings", None),
    ("POST", "settings/sso/policy", "ui_settings", {}),
    ("POST", "settings/sso/saml", "ui_settings", {}),
    ("POST", "settings/sso/github", "ui_settings", {}),
    ("GET", "dashboard", "ui_read", None),
    ("GET", "dashboard/provider/{P}/consumer/{C}", "ui_read", None),
    ("GET", "ui/network", "ui_read", None),
    ("GET", "ui/pacticipants/{C}", "ui_read", None),
    ("GET", "ui/pacticipants", "ui_read", None),
    ("GET", "ui/applications", "ui_read", None),
    ("GET", "ui/applications/{C}", "ui_read", None),
    ("POST", "ui/favourites", "ui_read", {"name": "{C}", "favourite": "1", "next": "/ui/applications"}),
    ("GET", "settings/environments", "ui_read", None),
    ("POST", "settings/environments", "ui_env_manage", {"name": "ui-env", "display_name": "UI env"}),
    ("GET", "settings/environments/{ENV}", "ui_read", None),
    ("POST", "settings/environments/{ENV}", "ui_env_manage", {"name": "ui-renamed", "display_name": "Renamed"}),
    ("GET", "ui/pacts/provider/{P}/consumer/{C}/version/1.0.0", "ui_read", None),
    ("GET", "ui/pacts/provider/{P}/consumer/{C}/diff", "ui_read", None),
    ("GET", "ui/pacts/provider/{P}/consumer/{C}", "ui_read", None),
    ("GET", "ui/provider-contracts/provider/{P}/version/2.0.0", "ui_read", None),
    ("GET", "ui/matrix", "ui_read", None),
    ("GET", "ui/can-i-deploy", "ui_read", None),
    ("GET", "ui/can-i-deploy/versions?pacticipant={C}", "ui_read", None),
    ("GET", "ui/environments", "ui_read", None),
    ("GET", "ui/webhooks", "ui_read", None),
    ("GET", "ui/webhooks/new", "ui_webhook_new", None),
    (
        "POST",
        "ui/webhooks/new",
        "ui_webhook",
        {
            "events": ["contract_published"],
            "method": "POST",
            "url": "https://hooks.example.com/ui",
            "team": "{TEAM}",
            "enabled": "on",
        },
    ),
    ("GET", "ui/webhooks/{WEBHOOK}", "ui_read", None),
    (
        "POST",
        "ui/webhooks/{WEBHOOK}",
        "ui_webhook",
        {
            "events": ["contract_published"],
            "method": "POST",
            "url": "https://hooks.example.com/ui",
            "team": "{TEAM}",
            "enabled": "on",
        },
    ),
    ("POST", "ui/webhooks/{WEBHOOK}/test", "ui_webhook", {}),
    ("POST", "ui/webhooks/{WEBHOOK}/delete", "ui_webhook", {}),
    ("GET", "settings", "ui_any", None),
    ("GET", "settings/secrets", "ui_secret_read", None),
    ("POST", "settings/secrets", "ui_secret", {"name": "UI_SECRET", "value": "v", "team": "{TEAM}"}),
    ("POST", "settings/secrets", "ui_secret", {"action": "delete", "secret": "{SECRET}"}),
]
# Opening the new-webhook form needs webhook:manage in some scope.
RULES["ui_webhook_new"] = dict(zip(ROLES, "A A D D D D D D D".split(), strict=True))


@dataclass
class Member:
    token: str
    user: object


@dataclass
class World:
    acme: object
    outsider: object
    members: dict
    inside: dict
    outside: dict


SLUGS = ("table-acme", "table-outsider")


def _drop() -> None:
    from django.db import connection

    from tenants.models import Tenant

    connection.set_schema_to_public()
    for tenant in Tenant.objects.filter(slug__in=SLUGS):
        tenant.delete(force_drop=True)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for slug in SLUGS:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{slug.replace("-", "_")}" CASCADE')


def _b64(doc) -> str:
    import base64

    return base64.b64encode(json.dumps(doc).encode()).decode()


def _side(team, consumer, provider, env_name, bot) -> dict:
    publication = pact_publish(consumer, "1.0.0", provider, branch="main", tags=["prod"])
    verify(publication, "2.0.0", branch="main")
    label_add(pacticipant_name=consumer, name="lbl")
    environment = environment_ensure(env_name)
    environment.teams.set([team])
    deployed = deploy(consumer, "1.0.0", env_name)
    released = release(consumer, "1.0.0", env_name)
    webhook = webhook_create(url="https://hooks.example.com/h", consumer=consumer, events=("contract_published",))
    Webhook.objects.filter(pk=webhook.pk).update(team=team)
    from apps.secrets import services as secrets

    secret = secrets.secret_create(name=f"SECRET_{team.name.upper()}", value="s3cret", team=team)
    accounts.team_update(actor=None, team=team, pacticipant_names=[consumer, provider])
    team.members.add(bot)
    pact = {**PACT, "consumer": {"name": consumer}, "provider": {"name": provider}}
    new_pact = {**PACT, "consumer": {"name": "Brand-new"}, "provider": {"name": provider}}
    return {
        "C": consumer,
        "P": provider,
        "SHA": publication.pact_version.sha,
        "TEAM": str(team.uuid),
        "ENV": environment.uuid,
        "DEPLOYED": deployed.uuid,
        "RELEASED": released.uuid,
        "WEBHOOK": webhook.uuid,
        "SECRET": str(secret.uuid),
        "BOT": str(bot.uuid),
        "BOT_TOKEN": str(ApiToken.objects.get(user=bot, slot="rw").uuid),
        "BOT_NAMED": str(accounts.token_create(user=bot, name="deploy", read_only=False)[0].uuid),
        "PACT_B64": _b64(pact),
        "NEW_PACT_B64": _b64(new_pact),
    }


def _build() -> World:
    acme, outsider = org_create(SLUGS[0], name="Table Acme"), org_create(SLUGS[1], name="Table Outsider")
    acme.tenant.plan, acme.tenant.seats = "enterprise", 100
    acme.tenant.save()
    with schema_context(acme.schema):
        Team.objects.filter(name=Team.DEFAULT_NAME).delete()  # team scopes decide from here on
        alpha = accounts.team_create(actor=None, name="Alpha")
        beta = accounts.team_create(actor=None, name="Beta")
        no_access = accounts.builtin_role("no_access")
        bots = [
            accounts.system_account_create(actor=None, name=name, roles=[no_access]) for name in ("bot-in", "bot-out")
        ]
        target = accounts.user_create(
            email="target@acme.example", name="Target", password=None, roles=[no_access], email_confirmed=True
        )
        invitee, _ = accounts.user_invite(
            actor=None, email="invitee@acme.example", base_url=f"http://{acme.host}/", roles=[no_access]
        )
        role = accounts.role_create(actor=None, name="Extra", permission_names=[])
        members = {}
        for key in ROLES:
            user = accounts.user_create(
                email=f"{key}@acme.example",
                name=key,
                password=None,
                email_confirmed=True,
                roles=[] if key == "team_administrator" else [accounts.builtin_role(key)],
            )
            alpha.members.add(user)
            if key == "team_administrator":
                alpha.administrators.add(user)
            _, secret = accounts.token_create(user=user, name="rw", read_only=False)
            named, _ = accounts.token_create(user=user, name="named", read_only=False)
            members[key] = Member(token=secret, user=user)
            members[key].own = {
                "OWN_TOKEN": str(ApiToken.objects.get(user=user, slot="rw").uuid),
                "OWN_NAMED": str(named.uuid),
            }
        common = {
            "TARGET": str(target.uuid),
            "TARGET_TOKEN": str(ApiToken.objects.get(user=target, slot="rw").uuid),
            "INVITEE": str(invitee.uuid),
            "ROLE": str(role.uuid),
            "NO_ACCESS_ROLE": str(no_access.uuid),
        }
        inside = {**common, **_side(alpha, "InC", "InP", "env-in", bots[0])}
        outside = {**common, **_side(beta, "OutC", "OutP", "env-out", bots[1])}
    return World(acme=acme, outsider=outsider, members=members, inside=inside, outside=outside)


@pytest.fixture(scope="module")
def table_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _drop()
        built = _build()
    yield built
    with django_db_blocker.unblock():
        _drop()


@pytest.fixture
def world(table_world, db):
    return table_world


def _fill(template, values: dict):
    text = json.dumps(template) if not isinstance(template, str) else template
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text if isinstance(template, str) else json.loads(text)


def _routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern), pattern.callback

    return list(walk(get_resolver("config.urls_tenant").url_patterns))


def _public(callback) -> bool:
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return bool(getattr(callback, "dangerously_public", None) or getattr(cls, "dangerously_public", None))


def _route_of(path: str) -> str:
    sample = re.sub(r"\{[A-Z_]+\}", "00000000-0000-0000-0000-000000000001", path.split("?")[0])
    return resolve("/" + sample).route


def _id(entry) -> str:
    return f"{entry[0]} /{entry[1]} [{entry[2]}]"


def test_every_route_has_an_entry():
    covered = {_route_of(path) for _, path, _, _ in API + PAGES}
    every = {route for route, callback in _routes() if not _public(callback)}
    assert every - covered == set(), "routes without an entry in the route × role × team table"
    assert all(rule in RULES for _, _, rule, _ in API + PAGES)


def _expected(rule: str, role: str, inside: bool) -> bool:
    code = RULES[rule][role]
    return code == "A" or (code == "T" and inside)


def _sides(world, method, path, body):
    """Inside and outside when the request names team-owned resources; inside alone otherwise."""
    template = path + json.dumps(body)
    if any("{" + key + "}" in template for key in world.inside if world.inside[key] != world.outside[key]):
        return [(True, world.inside), (False, world.outside)]
    return [(True, world.inside)]


def _call(client, method, path, body, values, *, page: bool):
    url = "/" + _fill(path, values)
    savepoint = transaction.savepoint()
    try:
        if page:
            data = _fill(body, values) if body else {}
            return getattr(client, method.lower())(url, data=data)
        data = json.dumps(_fill(body, values)) if body is not None else ""
        content_type = (
            "application/merge-patch+json" if method == "PATCH" and "-versions/" in path else "application/json"
        )
        # HAL first, anything else after it: a resource that produces no HAL (badges, diffs, the
        # integration DELETE) still runs its handler rather than answering 406.
        accept = "application/hal+json, */*;q=0.1"
        return client.generic(method, url, data=data, content_type=content_type, HTTP_ACCEPT=accept)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", API, ids=_id)
def test_api_route_by_role_and_team(world, entry):
    method, path, rule, body = entry
    failures = []
    for inside, values in _sides(world, method, path, body):
        for role in ROLES:
            member = world.members[role]
            client = Client(HTTP_HOST=world.acme.host, HTTP_AUTHORIZATION=f"Bearer {member.token}")
            response = _call(client, method, path, body, {**values, **member.own}, page=False)
            allowed = _expected(rule, role, inside)
            status = response.status_code
            ok = (status not in (401, 403) and status < 500) if allowed else status in (403, 404)
            if allowed and rule == "test_error":
                ok = status == 500
            if not allowed and status == 404 and rule not in ("secret", "env_read"):
                ok = False  # a refusal is a 403, except for secrets one may not even see
            if not allowed and status == 403 and "json" in response.get("Content-Type", ""):
                answer = response.json()
                ok = "error" in answer or answer.get("schemas") == ["urn:ietf:params:scim:api:messages:2.0:Error"]
            if not ok:
                failures.append(f"{role} {'inside' if inside else 'outside'}: {status} {response.content[:160]!r}")
    outsider = Client(HTTP_HOST=world.acme.host, HTTP_AUTHORIZATION=f"Bearer {world.outsider.token}")
    response = _call(outsider, method, path, body, world.inside, page=False)
    if response.status_code != 401:
        failures.append(f"outsider: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("entry", PAGES, ids=_id)
def test_page_by_role_and_team(world, entry):
    method, path, rule, data = entry
    failures = []
    for inside, values in _sides(world, method, path, data):
        for role in ROLES:
            member = world.members[role]
            client = Client(HTTP_HOST=world.acme.host, HTTP_ACCEPT="text/html")
            with schema_context(world.acme.schema):
                client.force_login(member.user)
            response = _call(client, method, path, data, {**values, **member.own}, page=True)
            allowed = _expected(rule, role, inside)
            status = response.status_code
            text = "" if response.streaming else response.content.decode(errors="replace")
            refused_in_form = status in (200, 400) and _refusal(text)
            if allowed:
                ok = status < 500 and status != 403 and not refused_in_form
                ok = ok and not (status == 302 and response["Location"].startswith("/login"))
            else:
                ok = status == 403 or refused_in_form or (status == 302 and _refused_after_redirect(client, response))
            if not ok:
                failures.append(f"{role} {'inside' if inside else 'outside'}: {status} {text[:200]!r}")
    outsider = Client(HTTP_HOST=world.acme.host, HTTP_ACCEPT="text/html")
    with schema_context(world.outsider.schema):
        outsider.force_login(world.outsider.admin)
    response = _call(outsider, method, path, data, world.inside, page=True)
    if response.status_code == 302 and not response["Location"].startswith("/login"):
        response = outsider.get(response["Location"])  # /dashboard/provider/… sends browsers on first
    if not (response.status_code == 302 and response["Location"].startswith("/login")):
        failures.append(f"outsider: {response.status_code}")
    assert not failures, "\n".join(failures)


# How pages say no when the gate let the person in but the resource is not theirs.
REFUSALS = (
    "You may not",
    "You may only",
    "You cannot",
    "needs team:manage:*",
    "needs system_account:manage:*",
    "Only administrators",
    "Only secret:manage:*",
    "Only webhook:manage:*",
    "No such secret",
)


def _refusal(text: str) -> bool:
    return any(words in text for words in REFUSALS)


def _refused_after_redirect(client, response) -> bool:
    """Pages that redirect after a POST report a refusal as a message on the next page (or the
    next page is itself refused)."""
    landing = client.get(response["Location"])
    return landing.status_code == 403 or _refusal(landing.content.decode(errors="replace"))
