"""Who may change which application's contract data: PactFlow's scopes applied to pacticipants.

Every write path that changes contract data, in the API and the UI, calls `contract_data_authorize`
before it writes (views are thin: the check is one line after parsing). The rule itself is
`apps.accounts.permissions.scope_allows`; this module only says which teams an application belongs
to and who created it:

- `contract_data:manage:*` (or `bulk_delete:*`) covers every application;
- `:team` covers applications owned by one of the caller's teams (TeamPacticipant, by name); a pact
  belongs to its consumer's teams, a verification result or provider contract to its provider's;
- `:own` covers applications the caller created (`Pacticipant.created_by`), and is what creating a
  new application needs: `:team` alone cannot create one, because a new application has no team yet.

Names that are only mentioned by a write (the provider of a published pact) need no team, but are
created when missing, which needs `:own` or `*` like any creation. A refusal is a 403 in the
broker's shape (`{"error": "..."}`) and the request's transaction changes nothing.
"""

from apps.accounts.models import TeamPacticipant
from apps.accounts.permissions import Perm, scope_allows
from apps.contracts.models import Pacticipant
from apps.core.errors import Forbidden


def pacticipant_teams(names) -> dict[str, set[str]]:
    """{name: UUIDs of the teams owning it}, one query."""
    teams: dict[str, set[str]] = {name: set() for name in names}
    rows = TeamPacticipant.objects.filter(pacticipant_name__in=list(teams)).values_list(
        "pacticipant_name", "team__uuid"
    )
    for name, team_uuid in rows:
        teams[name].add(str(team_uuid))
    return teams


def pacticipant_allows(user, pacticipant: Pacticipant, *, action: str = Perm.CONTRACT_DATA_MANAGE) -> bool:
    teams = pacticipant_teams([pacticipant.name])[pacticipant.name]
    owned = pacticipant.created_by_id is not None and pacticipant.created_by_id == getattr(user, "pk", None)
    return scope_allows(user, action, team_uuids=teams, owned=owned)


def contract_data_authorize(
    user,
    *,
    changing=(),
    mentioning=(),
    action: str = Perm.CONTRACT_DATA_MANAGE,
    create: bool = True,
) -> None:
    """Refuse (403) unless `user` may change the contract data of every application in `changing`
    under `action`, and may create every application of `changing` or `mentioning` that does not
    exist yet (`create=False`: missing ones are left to the view's 404)."""
    changing = [name for name in dict.fromkeys(changing) if name]
    mentioning = [name for name in dict.fromkeys(mentioning) if name and name not in changing]
    names = changing + mentioning
    if not names:
        return
    existing = {row.name: row for row in Pacticipant.objects.filter(name__in=names).only("name", "created_by_id")}
    missing = [name for name in names if name not in existing]
    if missing and create and not scope_allows(user, Perm.CONTRACT_DATA_MANAGE, owned=True):
        raise Forbidden(
            f"You may not create the application {missing[0]}: that needs the contract_data:manage:own "
            "or contract_data:manage:* permission."
        )
    present = [name for name in changing if name in existing]
    if not present:
        return
    teams = pacticipant_teams(present)
    user_pk = getattr(user, "pk", None)
    for name in present:
        created_by = existing[name].created_by_id
        owned = created_by is not None and created_by == user_pk
        if not scope_allows(user, action, team_uuids=teams[name], owned=owned):
            raise Forbidden(
                f"You may not change the contract data of {name}: it belongs to no team of yours "
                f"and your roles do not give {action}:* there."
            )


def all_contract_data_authorize(user, *, action: str = Perm.CONTRACT_DATA_BULK_DELETE) -> None:
    """For writes on every application at once (`DELETE /integrations`): the `*` scope only."""
    if not scope_allows(user, action):
        raise Forbidden(f"This changes every application's contract data: it needs {action}:*.")
