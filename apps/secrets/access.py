"""Who may see and change which secret: PactFlow's team scopes.

`secret:manage:*` / `secret:read:*` cover every secret; `:team` the secrets of the caller's teams.
A team-less secret (made so, or whose team was deleted) is for `*` holders only, as in PactFlow.
The rule is `apps.accounts.permissions.scope_allows`. Refusals are 403 `{"error": ...}`; a secret
one may not read is not found (404), like any other organisation's.
"""

from apps.accounts.permissions import Perm, scope_allows
from apps.core.errors import Forbidden
from apps.secrets.models import Secret


def _teams(team_uuid) -> list[str]:
    return [str(team_uuid)] if team_uuid else []


def secret_manage_authorize(user, *, team_uuid) -> None:
    if not scope_allows(user, Perm.SECRET_MANAGE, team_uuids=_teams(team_uuid)):
        raise Forbidden(
            "You may not manage this secret: it belongs to no team of yours."
            if team_uuid
            else "Only secret:manage:* manages secrets that belong to no team: give the secret a teamUuid."
        )


def secret_readable(user, secret: Secret) -> bool:
    teams = _teams(secret.team.uuid if secret.team_id else None)
    return scope_allows(user, Perm.SECRET_READ, team_uuids=teams) or scope_allows(
        user, Perm.SECRET_MANAGE, team_uuids=teams
    )
