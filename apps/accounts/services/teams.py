"""Writes on teams: members, administrators, pacticipants (by name) and environments (by the
environments app's link table); the "Default" team that new people and applications join."""

from django.db import connection, transaction
from django.db.models import Q

from apps.accounts import permissions, preferences
from apps.accounts.audit import audit_record
from apps.accounts.models import Team, TeamPacticipant, User
from apps.accounts.services.delegation import DelegationRefused
from apps.accounts.services.errors import IdentityError
from apps.accounts.services.preferences import preference_reference_drop


def team_names_lock() -> None:
    """Serialise team creation and renaming within one organisation until commit: the name check
    then sees a concurrent request's team, so two identical requests give one team and one refusal,
    never the unique index's error (a 500)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:team-names"])


def _name_check(name: str, team: Team | None = None) -> str:
    team_names_lock()
    name = (name or "").strip()
    if not name:
        raise IdentityError("name", "Give the team a name.")
    clash = Team.objects.filter(name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise IdentityError("name", f"There is already a team called {name}.")
    return name[:100]


def _users(uuids) -> list[User]:
    from apps.accounts.queries import valid_uuid

    uuids = [str(value) for value in (uuids or [])]
    users = list(User.objects.filter(uuid__in=[v for v in map(valid_uuid, uuids) if v]))
    if len(users) != len(set(uuids)):
        found = {str(user.uuid) for user in users}
        missing = [value for value in uuids if value not in found]
        raise IdentityError("users", f"No such user: {', '.join(missing)}.")
    return users


def _pacticipants_set(team: Team, names) -> None:
    names = sorted({name.strip() for name in (names or []) if name and name.strip()})
    team.pacticipants.exclude(pacticipant_name__in=names).delete()
    existing = set(team.pacticipants.values_list("pacticipant_name", flat=True))
    TeamPacticipant.objects.bulk_create(
        [TeamPacticipant(team=team, pacticipant_name=name) for name in names if name not in existing]
    )


def team_manage_check(*, actor, team: Team) -> None:
    """`team:manage:*`, or `team:manage:{uuid}` as one of the team's administrators (PactFlow's
    Team Administrator). `actor=None` is the system itself."""
    if actor is not None and not permissions.scope_allows(actor, permissions.Perm.TEAM_MANAGE, team_uuids=[team.uuid]):
        raise DelegationRefused("team", "You may only manage teams you administer.")


def _environments_set(team: Team, uuids) -> None:
    """Environments live downstream (apps.environments); the team reaches them through the
    relation they declare (`Environment.teams`, related name `environments`), never by import."""
    model = Team.environments.rel.related_model
    uuids = [str(value) for value in uuids or []]
    found = list(model.objects.filter(uuid__in=uuids))
    if len(found) != len(set(uuids)):
        known = {env.uuid for env in found}
        raise IdentityError(
            "environmentUuids", f"No such environment: {', '.join(u for u in uuids if u not in known)}."
        )
    team.environments.set(found)


def _snapshot(team: Team) -> dict:
    return {
        "name": team.name,
        "members": sorted(team.members.values_list("email", flat=True)),
        "administrators": sorted(team.administrators.values_list("email", flat=True)),
        "pacticipants": sorted(team.pacticipants.values_list("pacticipant_name", flat=True)),
        "environments": sorted(team.environments.values_list("name", flat=True)),
    }


@transaction.atomic
def team_create(
    *, actor, name: str, pacticipant_names=None, member_uuids=None, administrator_uuids=None, environment_uuids=None
) -> Team:
    """Administrators (PactFlow's `administratorUuids`) are members too, and hold `team:manage:{uuid}`.
    Only `team:manage:*` creates teams (a Team Administrator manages the teams they administer)."""
    if actor is not None and not permissions.scope_allows(actor, permissions.Perm.TEAM_MANAGE):
        raise DelegationRefused("name", "Creating teams needs team:manage:*.")
    team = Team.objects.create(name=_name_check(name))
    administrators = _users(administrator_uuids)
    team.members.set({*_users(member_uuids), *administrators})
    team.administrators.set(administrators)
    _pacticipants_set(team, pacticipant_names)
    if environment_uuids:
        _environments_set(team, environment_uuids)
    audit_record(actor=actor, action="team.created", target=team, details=_snapshot(team))
    return team


@transaction.atomic
def team_update(
    *,
    actor,
    team: Team,
    name: str | None = None,
    pacticipant_names=None,
    member_uuids=None,
    administrator_uuids=None,
    environment_uuids=None,
) -> Team:
    """Change what is given; None leaves a part as it is. Members removed stop administering."""
    team_manage_check(actor=actor, team=team)
    before = _snapshot(team)
    if name is not None:
        team.name = _name_check(name, team)
        team.save(update_fields=["name"])
    if administrator_uuids is not None:
        administrators = _users(administrator_uuids)
        team.administrators.set(administrators)
        team.members.add(*administrators)
    if member_uuids is not None:
        members = _users(member_uuids)
        team.members.set(members)
        team.administrators.remove(*team.administrators.exclude(pk__in=[m.pk for m in members]))
    if pacticipant_names is not None:
        _pacticipants_set(team, pacticipant_names)
    if environment_uuids is not None:
        _environments_set(team, environment_uuids)
    after = _snapshot(team)
    if before != after:
        audit_record(actor=actor, action="team.updated", target=team, details={"before": before, "after": after})
    return team


@transaction.atomic
def team_delete(*, actor, team: Team) -> None:
    """Unlinks, never deletes: its people, applications and environments stay (only the link rows
    go); its secrets and webhooks become team-less (`on_delete=SET_NULL`), manageable by `*` holders."""
    team_manage_check(actor=actor, team=team)
    audit_record(actor=actor, action="team.deleted", target=team, details=_snapshot(team))
    preference_reference_drop(name=preferences.DEFAULT_TEAM, uuid=team.uuid)
    team.delete()


@transaction.atomic
def team_members_set(*, actor, team: Team, member_uuids) -> Team:
    return team_update(actor=actor, team=team, member_uuids=member_uuids)


@transaction.atomic
def team_members_add(*, actor, team: Team, member_uuids) -> Team:
    current = [str(value) for value in team.members.values_list("uuid", flat=True)]
    return team_update(actor=actor, team=team, member_uuids=current + [str(v) for v in member_uuids or []])


@transaction.atomic
def team_members_remove(*, actor, team: Team, member_uuids) -> Team:
    removing = {str(value) for value in member_uuids or []}
    current = [str(value) for value in team.members.values_list("uuid", flat=True)]
    return team_update(actor=actor, team=team, member_uuids=[v for v in current if v not in removing])


@transaction.atomic
def team_external_id_set(*, actor, team: Team, external_idp_id: str) -> Team:
    """The identity provider's id of the group this team mirrors (SCIM's `externalId`)."""
    external_idp_id = (external_idp_id or "").strip()[:255]
    if external_idp_id != team.external_idp_id:
        before = team.external_idp_id
        team.external_idp_id = external_idp_id
        team.save(update_fields=["external_idp_id"])
        audit_record(
            actor=actor,
            action="team.external_id_changed",
            target=team,
            details={"before": before, "after": external_idp_id},
        )
    return team


def team_default() -> Team | None:
    """The team new people, system accounts and applications join: the system preference
    `defaultTeamUuid` when it names a team, else the team called "Default" while it exists. One
    query (the preference is cached): this runs on every publication that creates an application."""
    preferred = preferences.system_preferences()[preferences.DEFAULT_TEAM]
    if not preferred:
        return Team.objects.filter(name=Team.DEFAULT_NAME).first()
    teams = list(Team.objects.filter(Q(uuid=preferred) | Q(name=Team.DEFAULT_NAME)))
    return next((team for team in teams if str(team.uuid) == preferred), teams[0] if teams else None)


def team_default_join(*, users=(), pacticipant_names=()) -> None:
    """New people, system accounts and applications join the "Default" team while it exists
    (PactFlow's rule; once an administrator deletes it, team membership is explicit)."""
    team = team_default()
    if team is None:
        return
    if users:
        team.members.add(*users)
    names = [name for name in pacticipant_names if name]
    if names:
        TeamPacticipant.objects.bulk_create(
            [TeamPacticipant(team=team, pacticipant_name=name) for name in names], ignore_conflicts=True
        )


@transaction.atomic
def team_pacticipant_rename(*, old_name: str, new_name: str, actor=None) -> int:
    """For the contracts app to call when a pacticipant is renamed: ownership follows the name."""
    rows = TeamPacticipant.objects.filter(pacticipant_name=old_name)
    count = 0
    for row in rows:
        if TeamPacticipant.objects.filter(team=row.team, pacticipant_name=new_name).exists():
            row.delete()
        else:
            row.pacticipant_name = new_name
            row.save(update_fields=["pacticipant_name"])
        count += 1
    if count:
        audit_record(
            actor=actor,
            action="team.pacticipant_renamed",
            target=("pacticipant", "", new_name),
            details={"from": old_name, "to": new_name},
        )
    return count
