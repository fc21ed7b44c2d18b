"""A test run of a webhook, as the user asked for it: sent now, synchronously, and not recorded
(but audited: who sent which webhook's request, and whether it succeeded).

Uses the latest matching pact (and its latest verification when the webhook listens to
verification events), or placeholders; secrets are substituted; the request shown back is
redacted; the response is shown only for whitelisted hosts. Shared by the API's
`POST /webhooks/{uuid}/execute` (and `/webhooks/execute`) and the UI's Test button.
"""

from django.conf import settings

from apps.accounts.audit import audit_record
from apps.secrets.crypto import DecryptionFailed, SecretsNotConfigured
from apps.secrets.services import secret_values_resolve
from apps.webhooks import delivery, queries, redaction, rendering
from apps.webhooks.models import Events, Webhook


def webhook_trial_run(*, webhook: Webhook, base_url: str) -> dict:
    """The broker's execute-webhook result body without `_links`: success, logs, request, response, error."""
    publication = queries.latest_publication_for(consumer=webhook.consumer, provider=webhook.provider)
    verification = None
    if publication is not None and Events.VERIFICATION & set(webhook.events):
        verification = queries.latest_verification_for(publication)
    names = (
        webhook.consumer.name if webhook.consumer else "placeholder-consumer",
        webhook.provider.name if webhook.provider else "placeholder-provider",
    )
    params = rendering.template_parameters(
        publication=publication,
        verification=verification,
        context={"event_name": "test"},
        base_url=base_url,
        placeholder_names=names,
    )
    try:
        wanted = rendering.secret_names(webhook.url, webhook.headers, webhook.body, webhook.username, webhook.password)
        rendered = rendering.request_render(webhook, params, secret_values_resolve(wanted, team_id=webhook.team_id))
    except (rendering.MissingSecret, SecretsNotConfigured, DecryptionFailed) as exc:
        return {"success": False, "error": {"message": str(exc)}, "logs": f"{exc}\n"}
    outcome = delivery.request_send(rendered, context={"event_name": "test"})
    audit_record(
        action="webhook.executed",
        target=("webhook", webhook.uuid, webhook.description or webhook.uuid),
        details={"test": True, "success": outcome.success, "status": outcome.status},
    )
    # The editor may use secrets without being allowed to read them: every part of the request is
    # redacted by value (header values included), and sensitive header names hide the whole value.
    secrets = delivery.sensitive_values(rendered)
    headers = {
        redaction.redact(name, secrets): (
            redaction.REDACTED if delivery.SENSITIVE_HEADER.search(name) else redaction.redact(str(value), secrets)
        )
        for name, value in rendered.headers.items()
    }
    result = {
        "request": {
            "headers": headers,
            "body": redaction.redact(rendered.body or "", secrets),
            "url": redaction.redact(rendered.url, secrets),
        },
        "logs": outcome.logs,
        "success": outcome.success,
    }
    if outcome.status is not None:
        if settings.WEBHOOK_HOST_WHITELIST:
            result["response"] = {
                "status": outcome.status,
                "headers": outcome.response_headers or {},
                "body": outcome.response_body,
            }
        else:
            result["response"] = {"message": delivery.RESPONSE_HIDDEN}
    if outcome.error:
        result["error"] = {"message": outcome.error}
    return result
