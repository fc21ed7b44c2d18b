"""Who may change which environment, and record which deployment: PactFlow's team scopes.

- `environment:manage:*` creates, changes and deletes any environment; `environment:manage:team`
  those owned by one of the caller's teams (and may create one only for teams of theirs);
- `deployment_and_release:record:*` records any application's deployments and releases anywhere;
  `:team` needs the application and the environment both owned by one of the caller's teams
  (PactFlow: "environment, application and user in the same team").

Reading: `environment:read:team` (without `environment:read:*` or `environment:manage:*`) sees the
environments owned by one of the caller's teams and those owned by no team (organisation-wide ones:
environments join no team unless someone puts them in one, and hiding them would take every
environment away from the User role), in the list and one by one; another team's is the 404 of an
unknown environment. Changing or deploying to a team-less environment still needs the `*` scope. Callers holding no `environment:read` at all (Read-Only) read as
before, under `contract_data:read` (the open-source broker's clients list environments with it).

The rule is `apps.accounts.permissions.scope_allows`; applications' teams come from
apps/contracts/access.py. Refusals are 403 `{"error": ...}` and change nothing.
"""

from apps.accounts.permissions import Perm, scope_allows, scope_of
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


def _team_scoped_reader(user) -> bool:
    return scope_of(user, Perm.ENVIRONMENT_READ) == "team" and scope_of(user, Perm.ENVIRONMENT_MANAGE) != "*"


def environments_visible(user, environments: list[Environment]) -> list[Environment]:
    """`environments` (their teams prefetched) as the caller may see them."""
    if not _team_scoped_reader(user):
        return environments
    return [env for env in environments if _team_reader_sees(user, [str(team.uuid) for team in env.teams.all()])]


def environment_visible(user, environment: Environment) -> bool:
    if not _team_scoped_reader(user):
        return True
    return _team_reader_sees(user, environment_team_uuids(environment))


def _team_reader_sees(user, team_uuids: list[str]) -> bool:
    return not team_uuids or scope_allows(user, Perm.ENVIRONMENT_READ, team_uuids=team_uuids)
