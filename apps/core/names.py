"""The length bound of every name a client chooses: pacticipants, versions, branches, tags, labels,
environments (and deployment targets).

255 characters is the size of their columns. Checking it first, before any regex (semantic version
parsing, the near-duplicate name check, display names) or comparison runs, keeps the cost of every
name-handling step bounded, and a too-long name gets a 400 in the broker's validation shape instead
of a database error (500) on insert. Names in URL paths are checked for every broker resource by
`BrokerAPIView` (`path_names_check`); names in bodies by each app's validation.
"""

from apps.core.errors import ValidationFailed

NAME_MAX_LENGTH = 255

# URL keyword arguments that carry a name, and what the broker calls them in its messages.
PATH_NAME_PARAMS = {
    "pacticipant_name": "pacticipant",
    "pacticipant": "pacticipant",
    "consumer": "consumer",
    "consumer_name": "consumer",
    "provider": "provider",
    "provider_name": "provider",
    "version": "version",
    "version_number": "version",
    "other_version": "version",
    "branch": "branch",
    "branch_name": "branch",
    "tag": "tag",
    "tag_name": "tag",
    "to_tag": "tag",
    "label_name": "label",
    "environment": "environment",
}


def name_too_long(value) -> bool:
    return isinstance(value, str) and len(value) > NAME_MAX_LENGTH


def name_too_long_message(field: str) -> str:
    """dry-validation's `max_size?` message, as the broker words its validation errors."""
    return f"{field} size cannot be greater than {NAME_MAX_LENGTH}"


def path_names_check(kwargs: dict) -> None:
    """400 `{"errors": {"pacticipant": ["pacticipant size cannot be greater than 255"]}}` for a
    name in the URL path over the bound."""
    errors: dict[str, list[str]] = {}
    for key, value in kwargs.items():
        field = PATH_NAME_PARAMS.get(key)
        if field is not None and name_too_long(value):
            errors.setdefault(field, [name_too_long_message(field)])
    if errors:
        raise ValidationFailed(errors)
