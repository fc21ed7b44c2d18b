"""Writes on users, invitations, roles, teams, system accounts and tokens.

Each write is one transaction and records its own audit entry. Import from here
(`from apps.accounts import services`); the submodules are split by concept only.
"""

from apps.accounts.services.errors import IdentityError, InvitationInvalid, LimitReached
from apps.accounts.services.invitations import (
    invitation_accept,
    invitation_token,
    invitation_user,
    user_invite,
)
from apps.accounts.services.roles import role_create, role_delete, role_update, roles_reset
from apps.accounts.services.system_accounts import system_account_create
from apps.accounts.services.teams import (
    team_create,
    team_default,
    team_default_join,
    team_delete,
    team_external_id_set,
    team_manage_check,
    team_members_add,
    team_members_remove,
    team_members_set,
    team_pacticipant_rename,
    team_update,
)
from apps.accounts.services.tokens import (
    token_create,
    token_revoke,
    token_rotate,
    tokens_create_slots,
    tokens_revoke_all,
)
from apps.accounts.services.users import (
    builtin_role,
    seat_type_parse,
    user_add,
    user_confirm_email,
    user_create,
    user_deactivate,
    user_password_set,
    user_reactivate,
    user_remove,
    user_roles_set,
    user_scim_attributes_set,
    user_seat_type_set,
    user_update,
)

__all__ = [
    "IdentityError",
    "InvitationInvalid",
    "LimitReached",
    "invitation_accept",
    "invitation_token",
    "invitation_user",
    "user_invite",
    "role_create",
    "role_delete",
    "role_update",
    "roles_reset",
    "system_account_create",
    "team_create",
    "team_default",
    "team_default_join",
    "team_delete",
    "team_external_id_set",
    "team_manage_check",
    "team_members_add",
    "team_members_remove",
    "team_members_set",
    "team_pacticipant_rename",
    "team_update",
    "token_create",
    "token_revoke",
    "token_rotate",
    "tokens_create_slots",
    "tokens_revoke_all",
    "builtin_role",
    "seat_type_parse",
    "user_add",
    "user_confirm_email",
    "user_create",
    "user_deactivate",
    "user_password_set",
    "user_reactivate",
    "user_remove",
    "user_roles_set",
    "user_scim_attributes_set",
    "user_seat_type_set",
    "user_update",
]
