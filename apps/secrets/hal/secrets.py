"""The HAL body of a secret: its name and description, never its value."""

from apps.core import hal
from apps.secrets.models import Secret


def secret_body(request, secret: Secret) -> dict:
    body = {
        "uuid": str(secret.uuid),
        "name": secret.name,
        "description": secret.description,
        # PactFlow's field: the team whose webhooks may use it (null: team-less webhooks only).
        "teamUuid": str(secret.team.uuid) if secret.team_id else None,
        "createdAt": hal.timestamp(secret.created_at),
        "_links": {
            "self": hal.link(hal.url(request, "secrets", secret.uuid), title=secret.name),
            "pf:secrets": hal.link(hal.url(request, "secrets"), title="Secrets"),
        },
    }
    if secret.updated_at and abs((secret.updated_at - secret.created_at).total_seconds()) >= 1:
        body["updatedAt"] = hal.timestamp(secret.updated_at)
    return body
