from django.urls import include, path

from apps.accounts.views import account, auth, groups, people

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
    path("organisation/audit", groups.audit, name="organisation-audit"),
    path("", include("apps.accounts.api.urls")),
]
