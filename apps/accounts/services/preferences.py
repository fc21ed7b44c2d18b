"""Writes on preferences (apps/accounts/preferences.py says what each one means): the
organisation's, under `system_preference:manage:*`, and one's own. Each change is one transaction
with one audit entry carrying the values before and after; a request with one bad value changes
nothing."""

from django.db import transaction

from apps.accounts import permissions
from apps.accounts import preferences as prefs
from apps.accounts.audit import audit_record, changes
from apps.accounts.models import Role, SystemPreference, Team, UserPreference
from apps.accounts.services.delegation import DelegationRefused, roles_grant_check
from apps.accounts.services.errors import IdentityError


def _uuid_text(name: str, value) -> str | None:
    from apps.accounts.queries import valid_uuid

    if value in (None, ""):
        return None
    if not isinstance(value, str) or valid_uuid(value) is None:
        raise IdentityError(name, "Expected the uuid of one of the organisation's roles or teams, or null.")
    return str(valid_uuid(value))


def _default_role(actor, value) -> str | None:
    uuid = _uuid_text(prefs.DEFAULT_ROLE, value)
    if uuid is None:
        return None
    role = Role.objects.filter(uuid=uuid).first()
    if role is None:
        raise IdentityError(prefs.DEFAULT_ROLE, f"No such role: {uuid}.")
    builtin = permissions.BUILTIN_ROLES.get(role.key or "")
    if role.key == permissions.ADMINISTRATOR or (builtin is not None and not builtin.assignable):
        raise IdentityError(prefs.DEFAULT_ROLE, f"{role.name} cannot be the default role.")
    # People who cannot grant the role themselves may invite with it once it is the default, so
    # only someone holding every permission it grants may make it the default.
    roles_grant_check(actor=actor, roles=[role], field=prefs.DEFAULT_ROLE)
    return uuid


def _default_team(value) -> str | None:
    uuid = _uuid_text(prefs.DEFAULT_TEAM, value)
    if uuid is not None and not Team.objects.filter(uuid=uuid).exists():
        raise IdentityError(prefs.DEFAULT_TEAM, f"No such team: {uuid}.")
    return uuid


def _banner(value) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IdentityError(prefs.LOGIN_BANNER, "Expected Markdown text, or null.")
    value = value.replace("\r\n", "\n").strip()
    if len(value) > prefs.BANNER_MAX_CHARS:
        raise IdentityError(prefs.LOGIN_BANNER, f"At most {prefs.BANNER_MAX_CHARS} characters ({len(value)} given).")
    return value


def _token_expiry(value) -> dict | None:
    if value is None:
        return None
    shape = 'Expected null (tokens do not expire) or {"amount": a whole number, "unit": hours, days, weeks or months}.'
    if not isinstance(value, dict) or set(value) != {"amount", "unit"}:
        raise IdentityError(prefs.TOKEN_EXPIRY, shape)
    amount, unit = value["amount"], value["unit"]
    if unit not in prefs.EXPIRY_UNITS or isinstance(amount, bool) or not isinstance(amount, int):
        raise IdentityError(prefs.TOKEN_EXPIRY, shape)
    if not 1 <= amount <= prefs.EXPIRY_MAX[unit]:
        raise IdentityError(prefs.TOKEN_EXPIRY, f"Between 1 and {prefs.EXPIRY_MAX[unit]} {unit}.")
    return {"amount": amount, "unit": unit}


def _unknown(name, known) -> IdentityError:
    return IdentityError(str(name)[:64], f"Unknown preference. Known: {', '.join(sorted(known))}.")


@transaction.atomic
def system_preferences_update(*, actor, values: dict) -> dict:
    """Set the named system preferences (the others stay); returns them all."""
    if actor is not None and not permissions.scope_allows(actor, permissions.Perm.SYSTEM_PREFERENCE_MANAGE):
        raise DelegationRefused("preferences", "Changing system preferences needs system_preference:manage:*.")
    parsers = {
        prefs.DEFAULT_ROLE: lambda v: _default_role(actor, v),
        prefs.DEFAULT_TEAM: _default_team,
        prefs.LOGIN_BANNER: _banner,
        prefs.TOKEN_EXPIRY: _token_expiry,
    }
    for name in values:
        if name not in parsers:
            raise _unknown(name, parsers)
    before = prefs.system_preferences()
    after = dict(before)
    after.update({name: parsers[name](value) for name, value in values.items()})
    diff = changes(before, after)
    if diff["after"]:
        for name, value in diff["after"].items():
            SystemPreference.objects.update_or_create(name=name, defaults={"value": value})
        audit_record(
            actor=actor, action="preferences.system_changed", target=("preferences", "", "system"), details=diff
        )
        # Now (this request's later reads) and after commit (a concurrent request may have cached
        # the old values meanwhile).
        prefs.system_preferences_forget()
        transaction.on_commit(prefs.system_preferences_forget)
    return after


@transaction.atomic
def user_preferences_update(*, actor, user, values: dict) -> dict:
    """Set the named personal preferences of `user` (only themselves); returns them all."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        raise DelegationRefused("preferences", "Only the person themselves changes their preferences.")
    for name, value in values.items():
        if name not in prefs.USER_DEFAULTS:
            raise _unknown(name, prefs.USER_DEFAULTS)
        if not isinstance(value, bool):
            raise IdentityError(name, "Expected true or false.")
    before = prefs.user_preferences(user)
    after = {**before, **values}
    diff = changes(before, after)
    if diff["after"]:
        for name, value in diff["after"].items():
            UserPreference.objects.update_or_create(user=user, name=name, defaults={"value": value})
        audit_record(actor=actor, action="preferences.user_changed", target=user, details=diff)
    return after


def preference_reference_drop(*, name: str, uuid) -> None:
    """A deleted team or role stops being the default (called inside the deleting transaction), so
    `GET /preferences/system` never names what is gone; audited as a change like any other."""
    row = SystemPreference.objects.filter(name=name).first()
    if row is None or row.value != str(uuid):
        return
    row.delete()
    audit_record(
        action="preferences.system_changed",
        target=("preferences", "", "system"),
        details={"before": {name: str(uuid)}, "after": {name: None}},
    )
    prefs.system_preferences_forget()
    transaction.on_commit(prefs.system_preferences_forget)
