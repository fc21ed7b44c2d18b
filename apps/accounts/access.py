"""Which system accounts a caller may see: `system_account:read:*` every one, `system_account:read:team`
(without `*` of reading or managing) only those in one of the caller's teams. A single read of
one outside them is the 404 of an unknown account, so their existence does not leak."""

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.accounts.permissions import Perm, scope_allows, scope_of, user_team_uuids


def _team_scoped(user) -> bool:
    return scope_of(user, Perm.SYSTEM_ACCOUNT_READ) == "team" and scope_of(user, Perm.SYSTEM_ACCOUNT_MANAGE) != "*"


def system_accounts_visible(user, accounts: QuerySet) -> QuerySet:
    if not _team_scoped(user):
        return accounts
    return accounts.filter(teams__uuid__in=list(user_team_uuids(user))).distinct()


def system_account_visible(user, account: User) -> bool:
    if not _team_scoped(user):
        return True
    teams = [str(team.uuid) for team in account.teams.all()]
    return scope_allows(user, Perm.SYSTEM_ACCOUNT_READ, team_uuids=teams)
