"""Test runs: POST /webhooks/{uuid}/execute and POST /webhooks/execute (unsaved body).

Synchronous, as in the broker: the user asked to see the result. Uses the latest matching pact
(and its latest verification when the webhook listens to verification events), or placeholders;
secrets are substituted; nothing is persisted. The response is shown only for whitelisted hosts.
"""
from django.conf import settings
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView
from apps.secrets.crypto import DecryptionFailed, SecretsNotConfigured
from apps.secrets.services import secret_values_resolve
from apps.webhooks import delivery, queries, rendering
from apps.webhooks.api.contract import webhook_fields_parse
from apps.webhooks.models import Events, Webhook


def _execute(request, webhook: Webhook, self_href: str) -> Response:
    publication = queries.latest_publication_for(consumer=webhook.consumer, provider=webhook.provider)
    verification = None
    if publication is not None and Events.VERIFICATION & set(webhook.events):
        verification = queries.latest_verification_for(publication)
    names = (webhook.consumer.name if webhook.consumer else "placeholder-consumer",
             webhook.provider.name if webhook.provider else "placeholder-provider")
    params = rendering.template_parameters(publication=publication, verification=verification,
                                           context={"event_name": "test"}, base_url=hal.base_url(request),
                                           placeholder_names=names)
    body = {"_links": {"webhook": hal.link(self_href, title="Webhook"),
                       "try-again": hal.link(request.build_absolute_uri(), title="Execute the webhook again")}}
    try:
        wanted = rendering.secret_names(webhook.url, webhook.headers, webhook.body, webhook.username,
                                        webhook.password)
        rendered = rendering.request_render(webhook, params, secret_values_resolve(wanted))
    except (rendering.MissingSecret, SecretsNotConfigured, DecryptionFailed) as exc:
        return Response({"success": False, "error": {"message": str(exc)}, "logs": f"{exc}\n", **body})
    outcome = delivery.request_send(rendered, context={"event_name": "test"})
    headers = {name: (delivery.REDACTED if delivery.SENSITIVE_HEADER.search(name) else value)
               for name, value in rendered.headers.items()}
    result = {
        "request": {"headers": headers, "body": delivery.redact(rendered.body or "", rendered.sensitive_values),
                    "url": delivery.redact(rendered.url, rendered.sensitive_values)},
        "logs": outcome.logs,
        "success": outcome.success,
        **body,
    }
    if outcome.status is not None:
        if settings.WEBHOOK_HOST_WHITELIST:
            result["response"] = {"status": outcome.status, "headers": outcome.response_headers or {},
                                  "body": outcome.response_body}
        else:
            result["response"] = {"message": delivery.RESPONSE_HIDDEN}
    if outcome.error:
        result["error"] = {"message": outcome.error}
    return Response(result)


class WebhookExecuteView(BrokerAPIView):
    required_permissions = {"POST": Perm.WEBHOOK_MANAGE}

    def post(self, request, uuid):
        webhook = queries.webhook_find(uuid)
        if webhook is None:
            raise NotFound()
        return _execute(request, webhook, hal.url(request, "webhooks", uuid))


class UnsavedWebhookExecuteView(BrokerAPIView):
    required_permissions = {"POST": Perm.WEBHOOK_MANAGE}

    def post(self, request):
        webhook = Webhook(uuid="unsaved", **webhook_fields_parse(request.data))
        return _execute(request, webhook, hal.url(request, "webhooks"))
