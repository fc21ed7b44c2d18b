"""Validation of a webhook body, with the broker's messages and error keys (WebhookContract).

`webhook_fields_parse` returns model fields or raises ValidationFailed({"field.path": [msg]}).
"""

import json
import re
from urllib.parse import urlsplit

from django.conf import settings

from apps.accounts.queries import team_by_uuid
from apps.contracts.queries import pacticipant_find
from apps.core import outbound
from apps.core.errors import ValidationFailed
from apps.core.parsers import json_object
from apps.webhooks import ssrf
from apps.webhooks.models import Events, Webhook
from apps.webhooks.rendering import render_with_placeholder

UUID_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,}$")
HTTP_METHODS = {
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
}


def _is_mask(value) -> bool:
    return isinstance(value, str) and value != "" and set(value) == {"*"}


def _pacticipant_side(side: str, value, errors: dict):
    """(pacticipant, label) for a consumer/provider scope object."""
    if value is None:
        return None, None
    if not isinstance(value, dict):
        errors[side] = ["must be a hash"]
        return None, None
    name, label = value.get("name"), value.get("label")
    has_name = isinstance(name, str) and name.strip() != ""
    has_label = isinstance(label, str) and label.strip() != ""
    if not has_name and not has_label:
        errors[side] = ["cannot be blank."]
        return None, None
    if has_name and has_label:
        errors[f"{side}.label"] = ["name and label cannot be provided at the same time"]
        return None, None
    if has_label:
        return None, label
    pacticipant = pacticipant_find(name)
    if pacticipant is None:
        errors[f"{side}.name"] = ["does not match an existing pacticipant"]
    return pacticipant, None


# The broker lists the event names in this order in its message.
EVENT_NAMES_IN_MESSAGES = (
    "contract_published",
    "contract_content_changed",
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
    "contract_requiring_verification_published",
)


def _method_errors(method) -> list[str]:
    if not isinstance(method, str) or not method.strip():
        return ["is missing"]
    if method.upper() not in HTTP_METHODS:
        return ["is not a recognised HTTP method"]
    allowed = settings.WEBHOOK_HTTP_METHOD_WHITELIST
    if method.upper() not in allowed:
        which = allowed[0] if len(allowed) == 1 else "one of " + ", ".join(allowed)
        return [f"must be {which}. See /doc/webhooks#whitelist for more information."]
    return []


def _url_errors(url) -> list[str]:
    if not isinstance(url, str) or not url.strip():
        return ["is missing"]
    try:
        parts = urlsplit(render_with_placeholder(url))
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or not parts.scheme or not host:
        return ["is not a valid URL eg. http://example.org"]
    if urlsplit(render_with_placeholder(url, "differentplaceholder")).hostname != host:
        return ["cannot have a template parameter in the host"]
    if parts.username is not None or parts.password is not None:
        return ["must not contain credentials; use the request's username and password"]
    if not ssrf.scheme_allowed(parts.scheme):
        return [ssrf.scheme_error_message()]
    if not ssrf.host_allowed(host):
        return [ssrf.host_error_message()]
    return []


def _request_fields(request, errors: dict, existing: Webhook | None) -> dict:
    if request is None or (isinstance(request, dict) and not request):
        errors["request"] = ["is missing"]
        return {}
    if not isinstance(request, dict):
        errors["request"] = ["must be a hash"]
        return {}
    for key, problems in (("method", _method_errors(request.get("method"))), ("url", _url_errors(request.get("url")))):
        if problems:
            errors[f"request.{key}"] = problems
    headers = request.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str | int | float) for v in headers.values()):
        errors["request.headers"] = ["must be a hash of header names to string values"]
        headers = {}
    headers = {str(k): str(v) for k, v in headers.items()}
    if any(name.strip().lower() in outbound.COMPUTED_HEADERS for name in headers):
        # The Host header always names the URL's host (apps/core/outbound.py): a webhook may not
        # reach another virtual host than the one its checked URL names.
        errors["request.headers"] = [
            "must not set Host: it is always the host of the URL (nor Content-Length, "
            "Transfer-Encoding or Connection, which are computed)"
        ]
    if existing is not None:  # a masked header value on update keeps the stored one (broker quirk)
        # (names compared case-insensitively: bodies show them in lower case)
        stored = {name.lower(): value for name, value in (existing.headers or {}).items()}
        headers = {k: stored.get(k.lower(), v) if _is_mask(v) else v for k, v in headers.items()}
    for key in ("username", "password"):
        if request.get(key) is not None and not isinstance(request.get(key), str):
            errors[f"request.{key}"] = ["must be a string"]
    password = request.get("password")
    if existing is not None and (password is None or _is_mask(password)):
        password = existing.password
    body = request.get("body")
    is_json = body is not None and not isinstance(body, str)
    return {
        "method": (request.get("method") or "").upper(),
        "url": request.get("url"),
        "headers": headers,
        "body": json.dumps(body) if is_json else body,
        "is_json_request_body": is_json,
        "username": request.get("username"),
        "password": password,
    }


def _events(events, errors: dict) -> list[str]:
    if events is None:
        return [Events.DEFAULT]
    if not isinstance(events, list) or len(events) < 1:
        errors["events"] = ["size cannot be less than 1"]
        return []
    names = []
    for index, event in enumerate(events):
        name = event.get("name") if isinstance(event, dict) else None
        if name not in Events.ALL:
            errors.setdefault("events", []).append(
                f"name must be one of: {', '.join(EVENT_NAMES_IN_MESSAGES)} (at index {index})"
            )
        else:
            names.append(name)
    return list(dict.fromkeys(names))


def webhook_fields_parse(
    data, *, uuid: str | None = None, existing: Webhook | None = None, consumer=None, provider=None
) -> dict:
    """Validated model fields from a request body. `consumer`/`provider` (from the path) override
    the body's scope, as the broker's scoped create resources do."""
    json_object(data)
    errors: dict[str, list[str]] = {}
    if uuid is not None and not UUID_PATTERN.match(uuid):
        errors["uuid"] = [
            "The UUID can only contain the characters A-Z, a-z, 0-9, _ and -, and must be 16 or more characters."
        ]
    if consumer is not None:
        consumer_fields = (consumer, None)
    else:
        consumer_fields = _pacticipant_side("consumer", data.get("consumer"), errors)
    if provider is not None:
        provider_fields = (provider, None)
    else:
        provider_fields = _pacticipant_side("provider", data.get("provider"), errors)
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        errors["enabled"] = ["must be boolean"]
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        errors["description"] = ["must be a string"]
    request_fields = _request_fields(data.get("request"), errors, existing)
    events = _events(data.get("events"), errors)
    team_fields = {}
    if "teamUuid" in data:  # PactFlow's field; absent on an update keeps the team
        value = data["teamUuid"]
        team = team_by_uuid(value) if isinstance(value, str) else None
        if value is not None and team is None:
            errors["teamUuid"] = [f"no team with UUID {value}"]
        team_fields["team"] = team
    if errors:
        raise ValidationFailed(errors)
    return {
        **team_fields,
        "description": description,
        "consumer": consumer_fields[0],
        "consumer_label": consumer_fields[1],
        "provider": provider_fields[0],
        "provider_label": provider_fields[1],
        "enabled": enabled,
        "events": events,
        **request_fields,
    }
