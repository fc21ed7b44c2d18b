"""The request bodies of the environments API, parsed into typed arguments for the services.

Messages and shapes are the broker's (`{"errors": {field: [message, ...]}}`, 400). A name already
used by another environment is reported here with the other errors of the body, as the broker does;
the service still guards the race on the unique index.
"""

from dataclasses import dataclass

from apps.core.errors import ValidationFailed
from apps.core.names import NAME_MAX_LENGTH, name_too_long, name_too_long_message
from apps.core.parsers import json_object
from apps.environments import queries
from apps.environments.models import Environment


@dataclass(frozen=True)
class EnvironmentInput:
    name: str
    display_name: str | None
    production: bool
    contacts: list | None
    # PactFlow's `teamUuids`; None when the body does not name them (a PUT then keeps the teams).
    team_uuids: list[str] | None = None


def body(request) -> dict:
    if not request.body:  # the body is optional for record-deployment / record-release
        return {}
    return json_object(request.data, optional=True)


def environment_input(data: dict, *, existing: Environment | None = None) -> EnvironmentInput:
    """Check an environment body; return its fields or raise ValidationFailed (400)."""
    errors: dict[str, list[str]] = {}
    name = data.get("name")
    for key in ("name", "displayName"):  # bounded before any other check (apps/core/names.py)
        if name_too_long(data.get(key)):
            errors[key] = [f"size cannot be greater than {NAME_MAX_LENGTH}"]
    if "name" in errors:
        pass
    elif name is None or (isinstance(name, str) and not name.strip()):
        errors.setdefault("name", []).append("is missing" if name is None else "must be filled")
    elif not isinstance(name, str):
        errors.setdefault("name", []).append("must be a string")
    else:
        if any(ch.isspace() for ch in name):
            errors.setdefault("name", []).append("cannot contain spaces")
        if queries.environment_name_taken(name, excluding=existing):
            errors.setdefault("name", []).append(f"name '{name}' is already used by an existing environment.")
    display_name = data.get("displayName")
    if "displayName" in errors:
        pass
    elif display_name is not None and not isinstance(display_name, str):
        errors.setdefault("displayName", []).append("must be a string")
    elif isinstance(display_name, str) and "\n" in display_name:
        errors.setdefault("displayName", []).append("cannot contain multiple lines")
    production = data.get("production")
    if production is None:
        errors.setdefault("production", []).append("is missing")
    elif not isinstance(production, bool):
        errors.setdefault("production", []).append("must be one of: true, false")
    contacts = data.get("contacts")
    if contacts is not None:
        if not isinstance(contacts, list):
            errors.setdefault("contacts", []).append("must be an array")
        else:
            for index, contact in enumerate(contacts):
                if not isinstance(contact, dict):
                    errors.setdefault("contacts", []).append(f"must be a hash (at index {index})")
                    continue
                if not isinstance(contact.get("name"), str) or not contact["name"].strip():
                    errors.setdefault("contacts", []).append(f"name is missing (at index {index})")
                if contact.get("details") is not None and not isinstance(contact["details"], dict):
                    errors.setdefault("contacts", []).append(f"details must be a hash (at index {index})")
    team_uuids = data.get("teamUuids")
    if team_uuids is not None:
        if not isinstance(team_uuids, list) or not all(isinstance(value, str) for value in team_uuids):
            errors.setdefault("teamUuids", []).append("must be an array of team UUIDs")
        else:
            known = queries.team_uuids_known(team_uuids)
            unknown = [value for value in team_uuids if value not in known]
            if unknown:
                errors.setdefault("teamUuids", []).append(f"no team with UUID {unknown[0]}")
    if errors:
        raise ValidationFailed(errors)
    return EnvironmentInput(
        name=name, display_name=display_name, production=production, contacts=contacts, team_uuids=team_uuids
    )


def deployment_target(data: dict) -> str | None:
    """The application instance of a record-deployment body (`target` is its legacy name)."""
    target = data.get("applicationInstance", data.get("target"))
    if target is not None and not isinstance(target, str):
        raise ValidationFailed({"applicationInstance": ["must be a string"]})
    if name_too_long(target):
        raise ValidationFailed({"applicationInstance": [name_too_long_message("applicationInstance")]})
    return target


def merge_patch_flag(data: dict, key: str) -> bool | None:
    """`currentlyDeployed` / `currentlySupported` of a merge-patch: only a boolean means anything
    (any other value, or none, changes nothing, as in the broker)."""
    value = data.get(key)
    return value if isinstance(value, bool) else None
