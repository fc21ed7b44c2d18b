"""Preferences (PactFlow's Settings > Preferences): organisation-wide ones, changed by holders of
`system_preference:manage:*` and read by every member, and each person's own.

Both are name/value pairs, as PactFlow's `GET/PUT /preferences/system` and
`/preferences/current-user` (`{"_embedded": {"preferences": [{"name", "value"}]}}`). A name without
a stored row has its default, so an organisation that never saved a preference behaves as before.

System preferences:
- `defaultRoleUuid`: the role people get when they are invited or provisioned without one
  (invitations, SSO just-in-time sign-up, SCIM). Empty: PactFlow's default, User (Viewer for a
  Viewer seat). A role that does not fit a Viewer seat does not apply to Viewer seats. Never
  Administrator, nor a role given by naming team administrators: the default role is granted by
  people who do not hold its permissions (docs/permissions.md, "Granting the default role").
- `defaultTeamUuid`: the team new people, system accounts and applications join. Empty: the team
  called "Default" while it exists.
- `loginBanner`: an announcement shown on the sign-in page and atop every page; Markdown, rendered
  by markdown-it-py (CommonMark, HTML allowed as PactFlow's) and then sanitised by nh3 (ammonia's
  allow-list: no script, no event handler, no `javascript:` link). At most 2,000 characters.
- `apiTokenExpiry`: off (null) by default; `{"amount": n, "unit": "hours"|"days"|"weeks"|"months"}`
  bounds every token made or regenerated from then on (tokens already made keep their expiry).

Personal preferences:
- `tokenExpiryAlert` (default true): a notice on the dashboard and the tokens page for one's tokens
  expired or expiring within 7 days, and one email per token (apps/accounts/tasks.py).

System preferences are read on every page (the banner) and every token made: they are cached per
organisation (the cache key carries the schema) and the cache is dropped by every change.
"""

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

import nh3
from django.core.cache import cache
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from apps.accounts.models import SystemPreference, UserPreference

DEFAULT_ROLE = "defaultRoleUuid"
DEFAULT_TEAM = "defaultTeamUuid"
LOGIN_BANNER = "loginBanner"
TOKEN_EXPIRY = "apiTokenExpiry"
TOKEN_EXPIRY_ALERT = "tokenExpiryAlert"

SYSTEM_DEFAULTS = {DEFAULT_ROLE: None, DEFAULT_TEAM: None, LOGIN_BANNER: "", TOKEN_EXPIRY: None}
USER_DEFAULTS = {TOKEN_EXPIRY_ALERT: True}

BANNER_MAX_CHARS = 2000
EXPIRY_UNITS = ("hours", "days", "weeks", "months")
# Upper bounds per unit (ten years), so an expiry can always be computed.
EXPIRY_MAX = {"hours": 87600, "days": 3650, "weeks": 520, "months": 120}
ALERT_WINDOW = timedelta(days=7)

_CACHE_KEY = "accounts:system-preferences"


def system_preferences() -> dict:
    """Every system preference by name (defaults filled in); cached per organisation."""
    values = cache.get(_CACHE_KEY)
    if values is None:
        values = dict(SYSTEM_DEFAULTS)
        values.update(dict(SystemPreference.objects.values_list("name", "value")))
        cache.set(_CACHE_KEY, values, 300)
    return {name: values.get(name, default) for name, default in SYSTEM_DEFAULTS.items()}


def system_preferences_forget() -> None:
    cache.delete(_CACHE_KEY)


def user_preferences(user) -> dict:
    values = dict(USER_DEFAULTS)
    if getattr(user, "pk", None) is not None:
        values.update(
            {name: value for name, value in user.preferences.values_list("name", "value") if name in USER_DEFAULTS}
        )
    return values


def user_preference(user, name: str):
    row = UserPreference.objects.filter(user=user, name=name).values_list("value", flat=True).first()
    return USER_DEFAULTS[name] if row is None else row


# --- Token expiry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryPolicy:
    amount: int
    unit: str

    def expiry_from(self, start: datetime) -> datetime:
        if self.unit == "months":
            month = start.month - 1 + self.amount
            year, month = start.year + month // 12, month % 12 + 1
            day = min(start.day, calendar.monthrange(year, month)[1])
            return start.replace(year=year, month=month, day=day)
        return start + timedelta(**{self.unit: self.amount})

    def describe(self) -> str:
        unit = self.unit if self.amount != 1 else self.unit.rstrip("s")
        return f"{self.amount} {unit}"


def token_expiry_policy() -> ExpiryPolicy | None:
    value = system_preferences()[TOKEN_EXPIRY]
    if not isinstance(value, dict):
        return None
    return ExpiryPolicy(amount=int(value["amount"]), unit=value["unit"])


# --- The login banner -----------------------------------------------------------------------------

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False})
# ammonia's defaults, less images (a banner must not make every visitor fetch a remote URL).
_BANNER_TAGS = nh3.ALLOWED_TAGS - {"img"}


def banner_html(markdown: str) -> str:
    """The banner's Markdown as safe HTML ("" for none): markdown-it-py renders, nh3 sanitises."""
    if not markdown or not markdown.strip():
        return ""
    html = _markdown.render(markdown)
    return mark_safe(nh3.clean(html, tags=_BANNER_TAGS, link_rel="noopener noreferrer nofollow"))  # noqa: S308


def login_banner_html() -> str:
    """The organisation's banner as safe HTML, or "" (no organisation, none set)."""
    from django.db import connection
    from django_tenants.utils import get_public_schema_name

    if connection.schema_name == get_public_schema_name():
        return ""
    return banner_html(system_preferences()[LOGIN_BANNER])


def announcement(request) -> dict:
    """Context processor: `announcement`, the login banner as safe HTML, worked out only when a
    page shows it (base.html: the sign-in page and every page of the app)."""
    from django.utils.functional import SimpleLazyObject

    return {"announcement": SimpleLazyObject(login_banner_html)}
