"""Identity API routes: PactFlow's paths where they are known, ours (HAL) otherwise."""

from django.urls import path

from apps.accounts.api import audit, roles, system_accounts, teams, tokens, users

urlpatterns = [
    path("user", users.CurrentUserView.as_view(), name="api-current-user"),
    path("settings/tokens", tokens.TokenListView.as_view(), name="api-tokens"),
    path("settings/tokens/<str:uuid>", tokens.TokenDetailView.as_view(), name="api-token"),
    path(
        "settings/tokens/<str:uuid>/regenerate",
        tokens.TokenRegenerateView.as_view(),
        name="api-token-regenerate",
    ),
    path("admin/users", users.UserListView.as_view(), name="api-users"),
    path("admin/users/invite-user", users.InviteUserView.as_view(), name="api-invite-user"),
    path("admin/users/invite-users", users.InviteUsersView.as_view(), name="api-invite-users"),
    path("admin/users/<str:uuid>", users.UserDetailView.as_view(), name="api-user"),
    path("admin/users/<str:uuid>/roles", users.UserRolesView.as_view(), name="api-user-roles"),
    path("admin/users/<str:uuid>/roles/<str:role_uuid>", users.UserRoleView.as_view(), name="api-user-role"),
    path("admin/users/<str:uuid>/role/admin", users.UserAdminRoleView.as_view(), name="api-user-admin-role"),
    path("admin/users/<str:uuid>/tokens", users.UserTokensView.as_view(), name="api-user-tokens"),
    path(
        "admin/users/<str:uuid>/tokens/<str:token_uuid>/regenerate",
        users.UserTokenRegenerateView.as_view(),
        name="api-user-token-regenerate",
    ),
    path("admin/invitations", users.InvitationListView.as_view(), name="api-invitations"),
    path("admin/invitations/<str:uuid>", users.InvitationDetailView.as_view(), name="api-invitation"),
    path(
        "admin/system-accounts", system_accounts.SystemAccountListView.as_view(), name="api-system-accounts"
    ),
    path(
        "admin/system-accounts/<str:uuid>",
        system_accounts.SystemAccountDetailView.as_view(),
        name="api-system-account",
    ),
    path(
        "admin/system-accounts/<str:uuid>/tokens",
        system_accounts.SystemAccountTokensView.as_view(),
        name="api-system-account-tokens",
    ),
    path(
        "admin/system-accounts/<str:uuid>/tokens/<str:token_uuid>",
        system_accounts.SystemAccountTokenView.as_view(),
        name="api-system-account-token",
    ),
    path(
        "admin/system-accounts/<str:uuid>/tokens/<str:token_uuid>/regenerate",
        system_accounts.SystemAccountTokenRegenerateView.as_view(),
        name="api-system-account-token-regenerate",
    ),
    path("admin/roles", roles.RoleListView.as_view(), name="api-roles"),
    path("admin/roles/reset", roles.RolesResetView.as_view(), name="api-roles-reset"),
    path("admin/roles/<str:uuid>", roles.RoleDetailView.as_view(), name="api-role"),
    path("admin/permissions", roles.PermissionListView.as_view(), name="api-permissions"),
    path("admin/teams", teams.TeamListView.as_view(), name="api-teams"),
    path("admin/teams/<str:uuid>", teams.TeamDetailView.as_view(), name="api-team"),
    path("admin/teams/<str:uuid>/users", teams.TeamUsersView.as_view(), name="api-team-users"),
    path("audit", audit.AuditView.as_view(), name="api-audit"),
]
