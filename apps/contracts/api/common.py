"""What every pacticipant/version/branch/tag/label view needs: bodies, content types, lookups."""

from rest_framework import status

from apps.contracts import queries
from apps.contracts.models import Pacticipant
from apps.core.errors import BrokerError, NotFound
from apps.core.parsers import json_object

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"


def media_type(request) -> str:
    return (request.content_type or "").split(";", 1)[0].strip().lower()


def json_body(request, *, accepted: tuple[str, ...] = (JSON,)) -> dict:
    """The request's JSON object. 415 for another content type (even with an empty body, as the
    broker requires), 400 for unparsable JSON or a body that is not an object."""
    if media_type(request) not in accepted:
        raise BrokerError(
            {
                "error": f"Unsupported media type '{media_type(request) or 'none'}'. Expected one of: "
                f"{', '.join(accepted)}"
            },
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
        )
    return json_object(request.data, optional=True)


def pacticipant_or_404(name: str, *, named: bool = False) -> Pacticipant:
    """The pacticipant, or 404. `named`: the broker's resources that say which pacticipant is
    missing (the pacticipant itself, its versions and branches lists); the others answer the
    generic 404."""
    pacticipant = queries.pacticipant_find(name)
    if pacticipant is None:
        raise NotFound(pacticipant_not_found_message(name)) if named else NotFound()
    return pacticipant


def pacticipant_not_found_message(name: str, role: str = "pacticipant") -> str:
    return f"No {role} with name '{name}' found"
