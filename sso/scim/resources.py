"""Our people and teams as SCIM resources (RFC 7643 §4), and `attributes` / `excludedAttributes`."""

from apps.accounts.models import Team, User
from sso.scim.schemas import GROUP_SCHEMA, LIST_SCHEMA, USER_SCHEMA


def _time(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def user_resource(user: User, base: str) -> dict:
    given, _, family = user.name.partition(" ")
    resource = {
        "schemas": [USER_SCHEMA],
        "id": str(user.uuid),
        "userName": user.external_idp_username or user.email,
        "name": {"formatted": user.name, "givenName": given, "familyName": family},
        "displayName": user.name,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "active": user.is_active,
        "userType": user.get_seat_type_display(),
        "groups": [
            {"value": str(team.uuid), "display": team.name, "$ref": f"{base}/Groups/{team.uuid}"}
            for team in user.teams.all()
        ],
        "meta": {
            "resourceType": "User",
            "created": _time(user.date_joined),
            "lastModified": _time(user.updated_at),
            "location": f"{base}/Users/{user.uuid}",
        },
    }
    if user.external_idp_id:
        resource["externalId"] = user.external_idp_id
    return resource


def group_resource(team: Team, base: str) -> dict:
    resource = {
        "schemas": [GROUP_SCHEMA],
        "id": str(team.uuid),
        "displayName": team.name,
        # The directory's people only: system accounts in a team are the broker's business.
        "members": [
            {"value": str(user.uuid), "display": user.email, "$ref": f"{base}/Users/{user.uuid}"}
            for user in team.members.all()
            if user.kind == User.Kind.HUMAN
        ],
        "meta": {
            "resourceType": "Group",
            "created": _time(team.created_at),
            "lastModified": _time(team.created_at),
            "location": f"{base}/Groups/{team.uuid}",
        },
    }
    if team.external_idp_id:
        resource["externalId"] = team.external_idp_id
    return resource


ALWAYS_RETURNED = frozenset({"schemas", "id"})


def _names(text: str | None) -> set[str] | None:
    if not text:
        return None
    # `urn:...:User:userName` and `name.givenName` select the top-level attribute
    return {part.strip().rsplit(":", 1)[-1].split(".")[0].lower() for part in text.split(",") if part.strip()}


def select(resource: dict, *, attributes: str | None, excluded: str | None) -> dict:
    """RFC 7644 §3.4.2.5: only `attributes` (plus id and schemas), or all but `excludedAttributes`."""
    wanted, unwanted = _names(attributes), _names(excluded)
    if wanted is not None:
        return {key: value for key, value in resource.items() if key in ALWAYS_RETURNED or key.lower() in wanted}
    if unwanted is not None:
        return {key: value for key, value in resource.items() if key in ALWAYS_RETURNED or key.lower() not in unwanted}
    return resource


def list_response(resources: list[dict], *, total: int, start_index: int) -> dict:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
