"""Request bodies into changes: a User or Group resource (POST, PUT) and PATCH operations
(RFC 7644 §3.5.2), as the identity providers send them:

- Okta: `{"op": "replace", "value": {"active": false}}` (no path), `{"op": "replace", "path":
  "members", ...}` on groups, and `{"op": "remove", "path": "members[value eq \"<id>\"]"}`;
- Azure AD / Entra ID: `"op": "Replace"` / `"Add"` / `"Remove"` (any case), paths like
  `emails[type eq "work"].value`, `name.givenName`, `active` with the string "False", and
  `{"op": "Remove", "path": "members", "value": [{"value": "<id>"}]}`.

A path is `attr`, `attr.sub`, `urn:...:attr` or `attr[filter].sub` with a one-comparison filter
(`type eq "work"`, `value eq "<id>"`, `primary eq true`); anything else is `invalidPath`.
Attributes we do not keep (schemas.IGNORED, the enterprise extension) are accepted and ignored.
"""

import re
from dataclasses import dataclass, field

from sso.scim.errors import ScimError, invalid_path, invalid_syntax, invalid_value
from sso.scim.schemas import ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, IGNORED, PATCH_SCHEMA, USER_SCHEMA

MAX_OPERATIONS = 100
MAX_MEMBERS = 1000
TEXT_MAX = 255

_PATH = re.compile(
    r"^(?:(?P<uri>urn:[\w.:-]+):)?(?P<attr>[A-Za-z$][\w$-]*)"
    r"(?:\[(?P<filter>[^\]]*)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$"
)
_VALUE_FILTER = re.compile(r'^\s*(?P<attr>[A-Za-z]\w*)\s+eq\s+(?:"(?P<text>[^"]*)"|(?P<word>true|false))\s*$', re.I)


@dataclass
class UserChanges:
    email: str | None = None
    display_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    user_name: str | None = None
    external_id: str | None = None  # "" clears
    active: bool | None = None
    seat_type: str | None = None


@dataclass
class GroupChanges:
    name: str | None = None
    external_id: str | None = None
    members_set: list[str] | None = None
    members_add: list[str] = field(default_factory=list)
    members_remove: list[str] = field(default_factory=list)


def _text(value, what: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise invalid_value(f"{what} must be a string.")
    value = value.strip()
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        # PostgreSQL cannot store NUL, and no name or id has a control character.
        raise invalid_value(f"{what} must not contain control characters.")
    if not value and not allow_empty:
        raise invalid_value(f"{what} must not be empty.")
    if len(value) > TEXT_MAX:
        raise invalid_value(f"{what} is longer than {TEXT_MAX} characters.")
    return value


def _bool(value, what: str) -> bool:
    # Azure AD has sent booleans as the strings "True" and "False".
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"{what} must be true or false.")


def _email(value) -> str:
    email = _text(value, "emails.value").lower()
    if "@" not in email or len(email) > 254 or any(char.isspace() for char in email):
        raise invalid_value(f"{email[:100]} is not an email address.")
    return email


def _primary_email(emails) -> str | None:
    if emails is None:
        return None
    if isinstance(emails, dict):
        emails = [emails]
    if not isinstance(emails, list) or not all(isinstance(item, dict) for item in emails):
        raise invalid_value("emails must be a list of objects with a value.")
    if not emails:
        return None
    chosen = next((item for item in emails if item.get("primary") in (True, "true", "True")), None)
    chosen = chosen or next((item for item in emails if str(item.get("type", "")).lower() == "work"), emails[0])
    return _email(chosen.get("value"))


def _seat_type(value) -> str:
    text = _text(value, "userType").lower()
    if text not in ("editor", "viewer"):
        raise invalid_value("userType is Editor or Viewer (the seat type).")
    return text


def _schemas_check(body: dict, schema: str) -> None:
    schemas = body.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or schema not in schemas):
        raise invalid_syntax(f"schemas must list {schema}.")


def _object(body) -> dict:
    if not isinstance(body, dict):
        raise invalid_syntax("The body must be a JSON object.")
    return body


def _user_attribute(changes: UserChanges, name: str, value, *, op: str = "replace") -> None:
    """One top-level (or `name.sub`) User attribute, case-insensitively, from a resource or a
    path-less PATCH value."""
    key = name.lower()
    if key.startswith(USER_SCHEMA.lower() + ":"):
        return _user_attribute(changes, name[len(USER_SCHEMA) + 1 :], value, op=op)
    if key.startswith("urn:"):
        return  # the enterprise extension and any other: not kept
    if key in ("schemas", "id", "meta", "groups") or key in IGNORED:
        return
    if key == "username":
        changes.user_name = _text(value, "userName")
    elif key == "externalid":
        changes.external_id = "" if value is None else _text(value, "externalId", allow_empty=True)
    elif key == "displayname":
        changes.display_name = _text(value, "displayName", allow_empty=True)
    elif key == "name":
        if not isinstance(value, dict):
            raise invalid_value("name must be an object.")
        for sub, sub_value in value.items():
            _user_attribute(changes, f"name.{sub}", sub_value, op=op)
    elif key == "name.formatted":
        changes.display_name = _text(value, "name.formatted", allow_empty=True)
    elif key == "name.givenname":
        changes.given_name = _text(value, "name.givenName", allow_empty=True)
    elif key == "name.familyname":
        changes.family_name = _text(value, "name.familyName", allow_empty=True)
    elif key == "emails":
        email = _primary_email(value)
        if email is not None:
            changes.email = email
    elif key in ("emails.value",):
        changes.email = _email(value)
    elif key == "active":
        changes.active = _bool(value, "active")
    elif key == "usertype":
        changes.seat_type = _seat_type(value)
    else:
        raise invalid_path(f"{name[:100]} is not an attribute of a User here.")


def user_changes_from_resource(body) -> UserChanges:
    """POST or PUT of a User: userName is required; the email is the primary address, or the
    userName when it is one."""
    body = _object(body)
    _schemas_check(body, USER_SCHEMA)
    changes = UserChanges()
    for name, value in body.items():
        if not isinstance(name, str):
            continue
        _user_attribute(changes, name, value)
    if changes.user_name is None:
        raise invalid_value("userName is required.")
    if changes.email is None:
        if "@" not in changes.user_name:
            raise invalid_value("Give an email address (emails) or a userName that is one.")
        changes.email = _email(changes.user_name)
    return changes


def _operations(body) -> list[dict]:
    body = _object(body)
    _schemas_check(body, PATCH_SCHEMA)
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise invalid_syntax("Operations must be a non-empty list.")
    if len(operations) > MAX_OPERATIONS:
        raise ScimError(413, f"At most {MAX_OPERATIONS} operations in one PATCH.", "tooMany")
    result = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise invalid_syntax("Each operation must be an object.")
        op = operation.get("op")
        if not isinstance(op, str) or op.lower() not in ("add", "replace", "remove"):
            raise invalid_syntax("op is add, replace or remove.")
        path = operation.get("path")
        if path is not None and (not isinstance(path, str) or len(path) > 500):
            raise invalid_path("path must be a string.")
        result.append({"op": op.lower(), "path": path.strip() if path else None, "value": operation.get("value")})
    return result


def _path(path: str, schema: str) -> tuple[str, str | None, str | None]:
    """(attribute, filter, sub-attribute) of a PATCH path, lower case."""
    match = _PATH.match(path)
    if match is None:
        raise invalid_path(f"{path[:100]} is not a path this service understands.")
    uri = match.group("uri")
    if uri is not None and uri.lower() not in (schema.lower(), ENTERPRISE_USER_SCHEMA.lower()):
        raise invalid_path(f"{uri[:100]} is not a schema of this resource.")
    attr = match.group("attr").lower()
    if uri is not None and uri.lower() == ENTERPRISE_USER_SCHEMA.lower():
        attr = "enterprise:" + attr
    sub = match.group("sub").lower() if match.group("sub") else None
    return attr, match.group("filter"), sub


def _value_filter(text: str) -> tuple[str, str | bool]:
    match = _VALUE_FILTER.match(text)
    if match is None:
        raise invalid_path(f"[{text[:100]}] is not a filter this service understands (one `eq` comparison).")
    value = match.group("text") if match.group("text") is not None else match.group("word").lower() == "true"
    return match.group("attr").lower(), value


def user_changes_from_patch(body) -> UserChanges:
    changes = UserChanges()
    for operation in _operations(body):
        op, path, value = operation["op"], operation["path"], operation["value"]
        if path is None:
            if op == "remove":
                raise ScimError(400, "remove needs a path.", "noTarget")
            if not isinstance(value, dict):
                raise invalid_value("An operation without a path takes an object of attributes.")
            for name, item in value.items():
                if isinstance(name, str):
                    _user_attribute(changes, name, item, op=op)
            continue
        attr, filter_text, sub = _path(path, USER_SCHEMA)
        if attr.startswith("enterprise:") or attr in IGNORED or (sub and f"{attr}.{sub}" in IGNORED):
            continue
        if filter_text is not None:
            if attr != "emails":
                raise invalid_path(f"{path[:100]}: only emails can be filtered in a path.")
            _value_filter(filter_text)  # `type eq "work"`, `primary eq true`: we keep one address
            if op == "remove":
                raise ScimError(400, "The email address cannot be removed; replace it.", "mutability")
            if sub not in (None, "value"):
                continue  # emails[...].type, .primary, .display: not kept
            changes.email = _email(value if sub else (value or {}).get("value") if isinstance(value, dict) else value)
            continue
        name = f"{attr}.{sub}" if sub else attr
        if op == "remove":
            if name == "externalid":
                changes.external_id = ""
            elif name in ("displayname", "name.formatted", "name"):
                changes.display_name = ""
                if name == "name":
                    changes.given_name = changes.family_name = ""
            elif name == "name.givenname":
                changes.given_name = ""
            elif name == "name.familyname":
                changes.family_name = ""
            elif name == "usertype":
                changes.seat_type = "editor"
            else:
                raise ScimError(400, f"{path[:100]} cannot be removed.", "mutability")
            continue
        _user_attribute(changes, name, value, op=op)
    return changes


# --- Groups ---------------------------------------------------------------------------------------


def _member_ids(value, what: str = "members") -> list[str]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise invalid_value(f"{what} must be a list of objects with a value.")
    if len(value) > MAX_MEMBERS:
        raise ScimError(413, f"At most {MAX_MEMBERS} members in one request.", "tooMany")
    ids = []
    for item in value:
        member = item.get("value")
        if not isinstance(member, str) or not member.strip() or len(member) > 100:
            raise invalid_value(f"Each of {what} needs a value: the id of a User.")
        ids.append(member.strip())
    return ids


def _group_attribute(changes: GroupChanges, name: str, value, op: str) -> None:
    key = name.lower()
    if key.startswith(GROUP_SCHEMA.lower() + ":"):
        return _group_attribute(changes, name[len(GROUP_SCHEMA) + 1 :], value, op)
    if key in ("schemas", "id", "meta"):
        return
    if key == "displayname":
        changes.name = _text(value, "displayName")
    elif key == "externalid":
        changes.external_id = "" if value is None else _text(value, "externalId", allow_empty=True)
    elif key == "members":
        ids = _member_ids(value)
        if op == "add":
            changes.members_add += ids
        else:
            changes.members_set = ids
    else:
        raise invalid_path(f"{name[:100]} is not an attribute of a Group here.")


def group_changes_from_resource(body) -> GroupChanges:
    body = _object(body)
    _schemas_check(body, GROUP_SCHEMA)
    changes = GroupChanges()
    for name, value in body.items():
        if isinstance(name, str):
            _group_attribute(changes, name, value, "replace")
    if changes.name is None:
        raise invalid_value("displayName is required.")
    if changes.members_set is None:
        changes.members_set = []
    return changes


def group_changes_from_patch(body) -> GroupChanges:
    changes = GroupChanges()
    for operation in _operations(body):
        op, path, value = operation["op"], operation["path"], operation["value"]
        if path is None:
            if op == "remove":
                raise ScimError(400, "remove needs a path.", "noTarget")
            if not isinstance(value, dict):
                raise invalid_value("An operation without a path takes an object of attributes.")
            for name, item in value.items():
                if isinstance(name, str):
                    _group_attribute(changes, name, item, op)
            continue
        attr, filter_text, sub = _path(path, GROUP_SCHEMA)
        if attr == "members" and op == "remove":
            if filter_text is not None:
                key, member = _value_filter(filter_text)
                if key != "value" or not isinstance(member, str):
                    raise invalid_path('Remove members by members[value eq "<id>"].')
                changes.members_remove.append(member)
            elif value is None:
                changes.members_set = []  # remove every member the directory manages
            else:
                changes.members_remove += _member_ids(value)
            continue
        if filter_text is not None or sub is not None:
            raise invalid_path(f"{path[:100]} is not a path this service understands.")
        if op == "remove":
            if attr == "externalid":
                changes.external_id = ""
                continue
            raise ScimError(400, f"{path[:100]} cannot be removed.", "mutability")
        _group_attribute(changes, attr, value, op)
    return changes
