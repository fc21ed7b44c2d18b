"""The identity routes: the settings and sign-in pages (`views/`, HTML) and the identity API (`api/`),
on PactFlow's paths where they are known, ours (HAL) otherwise."""

from django.urls import path

from apps.accounts.api import audit, preferences, roles, system_accounts, teams, tokens, users
from apps.accounts.views import account, auth, groups, people
from apps.accounts.views import audit as audit_pages
from apps.accounts.views import preferences as preference_pages

urlpatterns = [
    path("login", auth.LoginView.as_view(), name="login"),
    path("logout", auth.LogoutView.as_view(), name="logout"),
    path("password-reset", auth.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent", auth.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done", auth.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("invitations/<str:token>", auth.invitation_accept, name="invitation-accept"),
    path("account/password", auth.password_change, name="account-password"),
    path("account/tokens", account.tokens, name="account-tokens"),
    path("organisation/users", people.users, name="organisation-users"),
    path("organisation/users/<str:uuid>", people.user_detail, name="organisation-user"),
    path("organisation/system-accounts", people.system_accounts, name="organisation-system-accounts"),
    path(
        "organisation/system-accounts/<str:uuid>",
        people.system_account_detail,
        name="organisation-system-account",
    ),
    path("organisation/roles", groups.roles, name="organisation-roles"),
    path("organisation/roles/<str:uuid>", groups.role_detail, name="organisation-role"),
    path("organisation/teams", groups.teams, name="organisation-teams"),
    path("organisation/teams/<str:uuid>", groups.team_detail, name="organisation-team"),
    path("settings/preferences", preference_pages.preferences, name="settings-preferences"),
    path("organisation/audit", audit_pages.audit, name="organisation-audit"),
    path("organisation/audit/export", audit_pages.audit_export, name="organisation-audit-export"),
    # The identity API
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
    path("admin/users/<str:uuid>/role/<str:role>", users.UserNamedRoleView.as_view(), name="api-user-named-role"),
    path("admin/users/<str:uuid>/tokens", users.UserTokensView.as_view(), name="api-user-tokens"),
    path(
        "admin/users/<str:uuid>/tokens/<str:token_uuid>/regenerate",
        users.UserTokenRegenerateView.as_view(),
        name="api-user-token-regenerate",
    ),
    path("admin/invitations", users.InvitationListView.as_view(), name="api-invitations"),
    path("admin/invitations/<str:uuid>", users.InvitationDetailView.as_view(), name="api-invitation"),
    path("admin/system-accounts", system_accounts.SystemAccountListView.as_view(), name="api-system-accounts"),
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
    path("admin/teams/<str:uuid>/users/<str:user_uuid>", teams.TeamUserView.as_view(), name="api-team-user"),
    path("audit", audit.AuditView.as_view(), name="api-audit"),
    path("preferences/system", preferences.SystemPreferencesView.as_view(), name="api-preferences-system"),
    path(
        "preferences/current-user",
        preferences.CurrentUserPreferencesView.as_view(),
        name="api-preferences-current-user",
    ),
]
