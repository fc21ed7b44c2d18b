"""Test runs: POST /webhooks/{uuid}/execute and POST /webhooks/execute (unsaved body).

Synchronous, as in the broker: the user asked to see the result. Uses the latest matching pact
(and its latest verification when the webhook listens to verification events), or placeholders;
secrets are substituted; nothing is persisted. The response is shown only for whitelisted hosts
(apps/webhooks/services/trial.py, shared with the UI's Test button).
"""

from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView
from apps.webhooks import queries
from apps.webhooks.access import webhook_authorize
from apps.webhooks.api.contract import webhook_fields_parse
from apps.webhooks.models import Webhook
from apps.webhooks.services.trial import webhook_trial_run


def _execute(request, webhook: Webhook, self_href: str) -> Response:
    result = webhook_trial_run(webhook=webhook, base_url=hal.base_url(request))
    links = {
        "webhook": hal.link(self_href, title="Webhook"),
        "try-again": hal.link(request.build_absolute_uri(), title="Execute the webhook again"),
    }
    return Response({**result, "_links": links})


class WebhookExecuteView(BrokerAPIView):
    required_permissions = {"POST": Perm.WEBHOOK_MANAGE}

    def post(self, request, uuid):
        webhook = queries.webhook_find(uuid)
        if webhook is None:
            raise NotFound()
        webhook_authorize(request.user, existing=webhook)
        return _execute(request, webhook, hal.url(request, "webhooks", uuid))


class UnsavedWebhookExecuteView(BrokerAPIView):
    required_permissions = {"POST": Perm.WEBHOOK_MANAGE}

    def post(self, request):
        fields = webhook_fields_parse(request.data)
        # Its team decides which secrets the test may use: the caller must manage that team's webhooks.
        webhook_authorize(request.user, existing=None, fields=fields)
        webhook = Webhook(uuid="unsaved", **fields)
        return _execute(request, webhook, hal.url(request, "webhooks"))
