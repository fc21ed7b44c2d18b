"""JSON shapes of users, roles, teams, tokens and audit events, in PactFlow's field names."""

from apps.accounts.models import ApiToken, AuditEvent, Role, Team, User
from apps.accounts.permissions import CATALOGUE_BY_SCOPE, role_permissions


def _time(value):
    return value.isoformat() if value else None


def _href(request, path: str) -> dict:
    return {"href": request.build_absolute_uri(path)}


def user_ref(request, user: User) -> dict:
    return {
        "uuid": str(user.uuid),
        "name": user.name,
        "email": user.email,
        "_links": {"self": _href(request, f"/admin/users/{user.uuid}")},
    }


def role_ref(request, role: Role) -> dict:
    return {
        "uuid": str(role.uuid),
        "name": role.name,
        "_links": {"self": _href(request, f"/admin/roles/{role.uuid}")},
    }


def team_ref(request, team: Team) -> dict:
    return {
        "uuid": str(team.uuid),
        "name": team.name,
        "_links": {"self": _href(request, f"/admin/teams/{team.uuid}")},
    }


def user_json(request, user: User) -> dict:
    first, _, last = user.name.partition(" ")
    system = user.is_system
    path = f"/admin/system-accounts/{user.uuid}" if system else f"/admin/users/{user.uuid}"
    return {
        "uuid": str(user.uuid),
        "name": user.name,
        "firstName": first,
        "lastName": last,
        # The Terraform provider's user struct reads snake case.
        "first_name": first,
        "last_name": last,
        "email": None if system else user.email,
        "active": user.is_active,
        "type": 1 if system else 0,
        "typeDescription": "System Account" if system else "User",
        "invitationPending": user.invitation_pending,
        "seatType": None if system else user.get_seat_type_display(),
        "externalIdpId": user.external_idp_id or None,
        "externalIdpUsername": user.external_idp_username or None,
        "createdAt": _time(user.date_joined),
        "updatedAt": _time(user.updated_at),
        "lastLogin": _time(user.last_login),
        "_embedded": {
            "roles": [role_ref(request, role) for role in user.roles.all()],
            "teams": [team_ref(request, team) for team in user.teams.all()],
        },
        "_links": {"self": _href(request, path)},
    }


def permission_json(scope: str) -> dict:
    """`name` and `label` are the same words: PactFlow's role bodies say `name`, its catalogue `label`."""
    info = CATALOGUE_BY_SCOPE[scope]
    return {"scope": info.scope, "name": info.label, "label": info.label, "description": info.description}


def role_json(request, role: Role) -> dict:
    return {
        "uuid": str(role.uuid),
        "name": role.name,
        "description": role.description,
        "builtin": role.builtin,
        "permissions": [permission_json(scope) for scope in sorted(role_permissions(role))],
        "_links": {"self": _href(request, f"/admin/roles/{role.uuid}")},
    }


def team_json(request, team: Team) -> dict:
    members = list(team.members.all())
    return {
        "uuid": str(team.uuid),
        "name": team.name,
        "numberOfMembers": len(members),
        "createdAt": _time(team.created_at),
        "_embedded": {
            "pacticipants": [{"name": row.pacticipant_name} for row in team.pacticipants.all()],
            "members": [user_ref(request, user) for user in members],
            "administrators": [user_ref(request, user) for user in team.administrators.all()],
            "environments": [
                {"uuid": env.uuid, "name": env.name, "displayName": env.display_name} for env in team.environments.all()
            ],
        },
        "_links": {
            "self": _href(request, f"/admin/teams/{team.uuid}"),
            "pf:team-users": _href(request, f"/admin/teams/{team.uuid}/users"),
            "pf:integrations": _href(request, f"/integrations/team/{team.uuid}"),
        },
    }


def token_json(request, token: ApiToken, *, secret: str | None = None, base: str = "/settings/tokens") -> dict:
    """`value` is present only in the response that created or regenerated the token: we store a
    hash, so unlike PactFlow's `GET /settings/tokens` it cannot be shown again."""
    data = {
        "uuid": str(token.uuid),
        "description": token.name,
        "readOnly": token.read_only,
        "kind": {"ro": "read-only", "rw": "read-write"}.get(token.slot, "named"),
        "prefix": token.prefix,
        "createdAt": _time(token.created_at),
        "rotatedAt": _time(token.rotated_at),
        "expiresAt": _time(token.expires_at),
        "lastUsedAt": _time(token.last_used_at),
        "_links": {
            "self": _href(request, f"{base}/{token.uuid}"),
            "pf:regenerate": _href(request, f"{base}/{token.uuid}/regenerate"),
        },
    }
    if secret is not None:
        data["value"] = secret
    return data


def audit_json(request, event: AuditEvent) -> dict:
    """PactFlow's audit event (`uuid`, `timestamp`, `type`, `db_user_id`, `user_email`, `payload` with
    the request's `path`, `method`, `userAgent` and the change's `params`), with ours beside it: who
    acted (`actorKind`, `userUuid`, the token's `tokenUuid` and `tokenName`), the target, the client
    `ip` and the `requestId` that joins the entry to the logs."""
    return {
        "uuid": str(event.uuid),
        "timestamp": _time(event.timestamp),
        "type": event.action,
        "user_email": event.actor_email,
        "db_user_id": event.actor_id,
        "userUuid": str(event.actor.uuid) if event.actor else None,
        "actorKind": event.actor_kind,
        "tokenUuid": str(event.token_uuid) if event.token_uuid else None,
        "tokenName": event.token_name or None,
        "target": {"type": event.target_type, "id": event.target_id, "label": event.target_label},
        "ip": event.ip,
        "payload": {
            "path": event.path,
            "method": event.method,
            "userAgent": event.user_agent,
            "requestId": event.request_id,
            "params": event.details,
        },
    }
