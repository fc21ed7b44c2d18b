"""Who may change which environment, and record which deployment: PactFlow's team scopes.

- `environment:manage:*` creates, changes and deletes any environment; `environment:manage:team`
  those owned by one of the caller's teams (and may create one only for teams of theirs);
- `deployment_and_release:record:*` records any application's deployments and releases anywhere;
  `:team` needs the application and the environment both owned by one of the caller's teams
  (PactFlow: "environment, application and user in the same team").

The rule is `apps.accounts.permissions.scope_allows`; applications' teams come from
apps/contracts/access.py. Refusals are 403 `{"error": ...}` and change nothing.
"""

from apps.accounts.permissions import Perm, scope_allows
from apps.contracts.access import pacticipant_teams
from apps.core.errors import Forbidden
from apps.environments.models import Environment
from apps.environments.queries import environment_team_uuids


def environment_authorize(user, *, environment: Environment | None = None, team_uuids=None) -> None:
    """Changing `environment` (None: creating one) and, when given, giving it `team_uuids`."""
    if environment is not None and not scope_allows(
        user, Perm.ENVIRONMENT_MANAGE, team_uuids=environment_team_uuids(environment)
    ):
        raise Forbidden(f"You may not change the environment {environment.name}: it belongs to no team of yours.")
    if environment is None or team_uuids is not None:
        wanted = list(team_uuids or [])
        if not scope_allows(user, Perm.ENVIRONMENT_MANAGE, team_uuids=wanted) or (
            wanted and not all(scope_allows(user, Perm.ENVIRONMENT_MANAGE, team_uuids=[uuid]) for uuid in wanted)
        ):
            raise Forbidden(
                "You may only give environments to teams of yours (environment:manage:team), "
                "and only environment:manage:* makes one no team owns."
            )


def deployment_authorize(user, *, pacticipant_name: str, environment: Environment) -> None:
    app_teams = pacticipant_teams([pacticipant_name])[pacticipant_name]
    if not scope_allows(user, Perm.DEPLOYMENT_RECORD, team_uuids=app_teams):
        raise Forbidden(
            f"You may not record deployments or releases of {pacticipant_name}: it belongs to no team of yours."
        )
    if not scope_allows(user, Perm.DEPLOYMENT_RECORD, team_uuids=environment_team_uuids(environment)):
        raise Forbidden(
            f"You may not record deployments or releases to {environment.name}: it belongs to no team of yours."
        )
