"""The one catalogue of permissions and built-in roles: PactFlow's names (`resource:action:scope`,
scope `*`, `team`, `own`, or a team's UUID) and PactFlow's predefined roles, plus our two additions
(`audit:read:*`, `billing:manage:*`). docs/permissions.md explains the model; the checks are in
apps/accounts/permissions.py."""

import re
from dataclasses import dataclass


class Perm:
    """What a view or page needs: `resource:action`. A role holds scoped grants of it
    (`resource:action:*`, `:team`, `:own`, or a team's UUID); `user_has_permission` asks whether any
    scope is held, `scope_allows` whether one covers a given resource (teams, creator)."""

    CONTRACT_DATA_READ = "contract_data:read"
    CONTRACT_DATA_MANAGE = "contract_data:manage"
    CONTRACT_DATA_BULK_DELETE = "contract_data:bulk_delete"
    DEPLOYMENT_RECORD = "deployment_and_release:record"
    ENVIRONMENT_MANAGE = "environment:manage"
    ENVIRONMENT_READ = "environment:read"
    WEBHOOK_MANAGE = "webhook:manage"
    SECRET_MANAGE = "secret:manage"
    SECRET_READ = "secret:read"
    SYSTEM_ACCOUNT_MANAGE = "system_account:manage"
    SYSTEM_ACCOUNT_READ = "system_account:read"
    TEAM_MANAGE = "team:manage"
    TEAM_READ = "team:read"
    USER_INVITE = "user:invite"
    USER_MANAGE = "user:manage"
    USER_READ = "user:read"
    USER_SCIM_ATTRIBUTES = "user:manage_scim_attributes"
    ROLE_MANAGE = "role:manage"
    ROLE_READ = "role:read"
    TOKEN_MANAGE = "token:manage"
    READ_TOKEN_MANAGE = "read_token:manage"
    AUTHENTICATION_SETTINGS_MANAGE = "authentication_settings:manage"
    SYSTEM_PREFERENCE_MANAGE = "system_preference:manage"
    # Ours (PactFlow has no twin): reading the audit log, and the subscription.
    AUDIT_READ = "audit:read"
    BILLING_MANAGE = "billing:manage"


@dataclass(frozen=True)
class PermissionInfo:
    scope: str
    label: str
    description: str


def _info(scope, label, description):
    return PermissionInfo(scope, label, description)


# PactFlow's catalogue (docs: permissions), scope for scope, plus our two.
CATALOGUE = [
    _info(
        "contract_data:read:*", "Read contract data", "Read applications, versions, pacts, verifications, the matrix."
    ),
    _info("contract_data:manage:*", "Manage contract data", "Create, change and delete all contract data."),
    _info(
        "contract_data:manage:team",
        "Manage team contract data",
        "Contract data of applications in one's teams (pacts: the consumer's; verification results: the "
        "provider's). Cannot create a new application.",
    ),
    _info(
        "contract_data:manage:own",
        "Manage own contract data",
        "Create applications, and manage those one created.",
    ),
    _info("contract_data:bulk_delete:*", "Bulk delete contract data", "Delete whole applications and integrations."),
    _info(
        "contract_data:bulk_delete:team",
        "Bulk delete team contract data",
        "Delete whole applications and integrations whose consumer is in one's teams.",
    ),
    _info(
        "contract_data:bulk_delete:own",
        "Bulk delete own contract data",
        "Delete whole applications and integrations whose consumer one created.",
    ),
    _info(
        "deployment_and_release:record:*", "Record deployments and releases", "Of any application in any environment."
    ),
    _info(
        "deployment_and_release:record:team",
        "Record team deployments and releases",
        "Of applications in one's teams, to environments of one's teams.",
    ),
    _info("environment:manage:*", "Manage environments", "Create, change and delete environments."),
    _info("environment:manage:team", "Manage team environments", "Change and delete environments of one's teams."),
    _info("environment:read:*", "Read environments", "See every environment."),
    _info("environment:read:team", "Read team environments", "See environments of one's teams."),
    _info("webhook:manage:*", "Manage webhooks", "Create, change, delete and run any webhook."),
    _info("webhook:manage:team", "Manage team webhooks", "Webhooks of one's teams."),
    _info("secret:manage:*", "Manage secrets", "Create, change and delete any secret."),
    _info("secret:manage:team", "Manage team secrets", "Secrets of one's teams."),
    _info("secret:read:*", "Read secrets", "See every secret's name and description (never its value)."),
    _info("secret:read:team", "Read team secrets", "See names and descriptions of one's teams' secrets."),
    _info("system_account:manage:*", "Manage system accounts", "Create and manage system accounts and their tokens."),
    _info(
        "system_account:manage:team",
        "Manage team system accounts",
        "Deactivate and manage tokens of system accounts in one's teams (not create).",
    ),
    _info("system_account:read:*", "Read system accounts", "See every system account."),
    _info("system_account:read:team", "Read team system accounts", "See system accounts in one's teams."),
    _info("team:manage:*", "Manage teams", "Create, change and delete teams; set members and applications."),
    _info("team:read:*", "Read teams", "See teams."),
    _info("user:invite", "Invite users", "Invite people and pre-create them."),
    _info("user:manage:*", "Manage users", "Change, deactivate and remove people; give roles; rotate their tokens."),
    _info("user:read:*", "Read users", "See people."),
    _info(
        "user:manage_scim_attributes:*",
        "Manage SCIM attributes",
        "Set people's external identity provider ids (the SCIM role).",
    ),
    _info("role:manage:*", "Manage roles", "Create, change and delete custom roles."),
    _info("role:read:*", "Read roles", "See roles and the permission catalogue."),
    _info("token:manage:own", "Manage API tokens", "See, create, rotate and revoke one's own API tokens."),
    _info("read_token:manage:own", "Manage read-only API tokens", "Manage one's own read-only API tokens."),
    _info("authentication_settings:manage:*", "Manage authentication settings", "Configure SSO and sign-in."),
    _info("system_preference:manage:*", "Manage system preferences", "Organisation-wide preferences."),
    _info("audit:read:*", "Read the audit log", "Read who changed what and when."),
    _info("billing:manage:*", "Manage billing", "Change the plan, seats and payment details."),
]
ALL_PERMISSIONS = frozenset(info.scope for info in CATALOGUE)
CATALOGUE_BY_SCOPE = {info.scope: info for info in CATALOGUE}
# A Team Administrator's grant names the team: `team:manage:{uuid}` (given by the team, not by a role).
TEAM_SCOPE = re.compile(r"^team:manage:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _scopes(*names) -> frozenset:
    unknown = set(names) - ALL_PERMISSIONS
    assert not unknown, unknown
    return frozenset(names)


@dataclass(frozen=True)
class BuiltinRole:
    key: str
    name: str
    description: str
    permissions: frozenset
    # Viewer: the UI only, never the API (PactFlow's "Viewer").
    ui_only: bool = False
    # Team Administrator: given by a team's administrators list, never directly.
    assignable: bool = True


ADMINISTRATOR, USER, VIEWER, CI = "administrator", "user", "viewer", "ci"
READ_ONLY, TEAM_ADMINISTRATOR, ORGANIZATION_ADMINISTRATOR = (
    "read_only",
    "team_administrator",
    "organization_administrator",
)
SCIM, NO_ACCESS = "scim", "no_access"

# PactFlow's predefined roles (docs: permissions/predefined-roles), permission for permission.
BUILTIN_ROLES = {
    role.key: role
    for role in [
        BuiltinRole(ADMINISTRATOR, "Administrator", "Everything, including users, roles and billing.", ALL_PERMISSIONS),
        BuiltinRole(
            USER,
            "User",
            "Default for people: their teams' applications, webhooks and secrets; read everything.",
            _scopes(
                "contract_data:bulk_delete:own",
                "contract_data:bulk_delete:team",
                "contract_data:manage:own",
                "contract_data:manage:team",
                "contract_data:read:*",
                "environment:read:team",
                "role:read:*",
                "secret:manage:team",
                "secret:read:team",
                "system_account:manage:team",
                "system_account:read:*",
                "team:read:*",
                "token:manage:own",
                "user:read:*",
                "webhook:manage:team",
            ),
        ),
        BuiltinRole(
            CI,
            "CI/CD",
            "Default for system accounts: publish, verify, record deployments and releases.",
            _scopes(
                "contract_data:manage:own",
                "contract_data:manage:team",
                "contract_data:read:*",
                "deployment_and_release:record:*",
                "environment:read:*",
            ),
        ),
        BuiltinRole(
            VIEWER,
            "Viewer",
            "Read contract data, users and teams in the UI; no API access.",
            _scopes("contract_data:read:*", "team:read:*", "user:read:*"),
            ui_only=True,
        ),
        BuiltinRole(
            READ_ONLY,
            "Read-Only",
            'Read contract data, users and teams, in the UI and the API (was "Viewer").',
            _scopes("contract_data:read:*", "read_token:manage:own", "team:read:*", "token:manage:own", "user:read:*"),
        ),
        BuiltinRole(
            TEAM_ADMINISTRATOR,
            "Team Administrator",
            "Manage one team; given by being named one of its administrators.",
            frozenset(),
            assignable=False,
        ),
        BuiltinRole(
            ORGANIZATION_ADMINISTRATOR,
            "Organization Administrator",
            "People, teams, roles, system accounts and sign-in; no contract data; takes no seat.",
            _scopes(
                "authentication_settings:manage:*",
                "role:manage:*",
                "role:read:*",
                "system_account:manage:*",
                "system_account:read:*",
                "team:manage:*",
                "team:read:*",
                "user:invite",
                "user:manage:*",
                "user:read:*",
            ),
        ),
        BuiltinRole(
            SCIM,
            "SCIM",
            "For the system account an identity provider provisions people and teams with.",
            _scopes(
                "team:manage:*",
                "team:read:*",
                "user:invite",
                "user:manage:*",
                "user:manage_scim_attributes:*",
                "user:read:*",
            ),
        ),
        BuiltinRole(NO_ACCESS, "No Access", "No permissions at all.", frozenset()),
    ]
}
UI_ONLY_ROLES = frozenset(key for key, role in BUILTIN_ROLES.items() if role.ui_only)
