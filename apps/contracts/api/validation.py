"""Request body rules of the broker's pacticipant and version contracts, with its messages.

Errors come back as `{"errors": {"<property>": ["<message>"]}}` (the broker's short messages, first
message per property).
"""
from apps.contracts.services.pacticipants import PACTICIPANT_ATTRIBUTES
from apps.core.errors import ValidationFailed
from apps.core.names import NAME_MAX_LENGTH, name_too_long

# Pacticipant attributes stored in 255-character columns (repositoryUrl is unbounded text).
BOUNDED_ATTRIBUTES = ("displayName", "repositoryName", "repositoryNamespace", "mainBranch")


def _single_line(value: str) -> bool:
    return "\n" not in value and "\r" not in value


def pacticipant_errors(body: dict, *, creating: bool) -> dict:
    errors: dict[str, list[str]] = {}

    def fail(key: str, message: str) -> None:
        errors.setdefault(key, [message])

    # Bounded before anything else runs on them (apps/core/names.py); all are 255-character columns.
    for key in ("name", *BOUNDED_ATTRIBUTES):
        if name_too_long(body.get(key)):
            fail(key, f"size cannot be greater than {NAME_MAX_LENGTH}")

    name = body.get("name")
    if creating and "name" not in body:
        fail("name", "is missing")
    if "name" in body and "name" not in errors:
        if not isinstance(name, str):
            fail("name", "must be a string")
        elif not name.strip():
            fail("name", "must be filled")
        elif not _single_line(name):
            # the broker checks this twice (two rules) and so says it twice
            errors["name"] = ["cannot contain multiple lines", "cannot contain multiple lines"]
    for key in PACTICIPANT_ATTRIBUTES:
        value = body.get(key)
        if value is None or key in errors:
            continue
        if not isinstance(value, str):
            fail(key, "must be a string")
        elif not _single_line(value):
            fail(key, "cannot contain multiple lines")
        elif key == "displayName" and not value.strip():
            fail(key, "can't be blank")
        elif key == "mainBranch" and " " in value:
            fail(key, "cannot contain spaces")
    return errors


def pacticipant_validate(body: dict, *, creating: bool = False) -> None:
    errors = pacticipant_errors(body, creating=creating)
    if errors:
        raise ValidationFailed(errors)


def version_validate(body: dict) -> None:
    errors: dict[str, list[str]] = {}
    build_url = body.get("buildUrl")
    if build_url is not None and not isinstance(build_url, str):
        errors["buildUrl"] = ["buildUrl must be a string"]
    tags = body.get("tags")
    if tags is not None:
        if not isinstance(tags, list):
            errors["tags"] = ["tags must be an array"]
        else:
            for index, tag in enumerate(tags):
                name = tag.get("name") if isinstance(tag, dict) else None
                if not isinstance(name, str) or not name.strip():
                    errors.setdefault("tags", []).append(f"tags name can't be blank (at index {index})")
                elif name_too_long(name):
                    errors.setdefault("tags", []).append(
                        f"tags name size cannot be greater than {NAME_MAX_LENGTH} (at index {index})")
    if errors:
        raise ValidationFailed(errors)
