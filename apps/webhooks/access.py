"""Who may change, run and test which webhook: PactFlow's team scopes (`teamUuid`).

`webhook:manage:*` covers every webhook; `webhook:manage:team` the webhooks of the caller's teams,
and only those: a team-less webhook (made so, or whose team was deleted) is for `*` holders, and a
team-scoped person must give a new webhook one of their teams. Moving a webhook to another team
needs the right on both. The rule is `apps.accounts.permissions.scope_allows`; the API and the UI
both call `webhook_authorize` before saving, deleting, executing or testing. A webhook's team also
decides which secrets it may use (apps/secrets/services/secrets.py `secret_values_resolve`).
"""

from apps.accounts.permissions import Perm, scope_allows
from apps.core.errors import Forbidden
from apps.webhooks.models import Webhook

_NOT_YOURS = "You may not manage this webhook: it belongs to no team of yours."
_TEAMLESS = "Only webhook:manage:* manages webhooks that belong to no team: give the webhook a teamUuid."


def _allowed(user, team) -> bool:
    return scope_allows(user, Perm.WEBHOOK_MANAGE, team_uuids=[str(team.uuid)] if team is not None else [])


def webhook_authorize(user, *, existing: Webhook | None, fields: dict | None = None) -> None:
    """Refuse (403) changing `existing` (None: creating) or giving it the team in `fields`."""
    if existing is not None and not _allowed(user, existing.team):
        raise Forbidden(_NOT_YOURS if existing.team_id else _TEAMLESS)
    if fields is None:
        return
    team = fields["team"] if "team" in fields else (existing.team if existing is not None else None)
    if not _allowed(user, team):
        raise Forbidden(_NOT_YOURS if team is not None else _TEAMLESS)
