"""Webhook resources: /webhooks, scoped lists/creates, /webhooks/{uuid} (PUT = create or update)."""

from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts.queries import pacticipant_find
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView
from apps.webhooks import queries, services
from apps.webhooks.access import webhook_authorize
from apps.webhooks.api.contract import webhook_fields_parse
from apps.webhooks.hal.webhooks import webhook_body, webhooks_body
from apps.webhooks.models import Webhook

WRITE = {"POST": Perm.WEBHOOK_MANAGE, "PUT": Perm.WEBHOOK_MANAGE, "DELETE": Perm.WEBHOOK_MANAGE}


def _created(request, webhook: Webhook, *, location: bool = True) -> Response:
    headers = {"Location": hal.url(request, "webhooks", webhook.uuid)} if location else {}
    return Response(webhook_body(request, webhook), status=201, headers=headers)


def _create(request, *, consumer=None, provider=None) -> Response:
    fields = webhook_fields_parse(request.data, consumer=consumer, provider=provider)
    webhook_authorize(request.user, existing=None, fields=fields)
    webhook = services.webhook_save(webhook=Webhook(uuid=services.webhook_uuid_generate()), fields=fields)
    return _created(request, webhook)


class WebhooksView(BrokerAPIView):
    required_permissions = WRITE

    def get(self, request):
        return Response(webhooks_body(request, queries.webhooks_all(), hal.url(request, "webhooks")))

    def post(self, request):
        return _create(request)


class ScopedWebhooksView(BrokerAPIView):
    """/webhooks/provider/{p}[/consumer/{c}], /webhooks/consumer/{c}, /pacts/provider/{p}/consumer/{c}/webhooks:
    the path names the scope (404 when a named pacticipant does not exist)."""

    required_permissions = WRITE

    def _scope(self, provider_name=None, consumer_name=None):
        found = {}
        # The consumer is looked up first, and the 404 names the missing role, as in the broker.
        for side, name in (("consumer", consumer_name), ("provider", provider_name)):
            if name is not None:
                pacticipant = pacticipant_find(name)
                if pacticipant is None:
                    raise NotFound(f"No {side} with name '{name}' found")
                found[side] = pacticipant
        return found

    def get(self, request, provider_name=None, consumer_name=None):
        scope = self._scope(provider_name, consumer_name)
        webhooks = queries.webhooks_for_scope(consumer=scope.get("consumer"), provider=scope.get("provider"))
        title = "Pact webhooks" if request.path.startswith("/pacts/") else "Webhooks"
        return Response(webhooks_body(request, webhooks, hal.template_url(request, request.path), title))

    def post(self, request, provider_name=None, consumer_name=None):
        return _create(request, **self._scope(provider_name, consumer_name))


class WebhookView(BrokerAPIView):
    required_permissions = WRITE

    def _webhook(self, uuid) -> Webhook:
        webhook = queries.webhook_find(uuid)
        if webhook is None:
            raise NotFound()
        return webhook

    def get(self, request, uuid):
        return Response(webhook_body(request, self._webhook(uuid)))

    def put(self, request, uuid):
        existing = queries.webhook_find(uuid)
        fields = webhook_fields_parse(request.data, uuid=uuid, existing=existing)
        webhook_authorize(request.user, existing=existing, fields=fields)
        webhook = services.webhook_save(webhook=existing or Webhook(uuid=uuid), fields=fields)
        if existing is None:  # created by PUT: 201 without `Location`, as the broker answers
            return _created(request, webhook, location=False)
        return Response(webhook_body(request, webhook))

    def delete(self, request, uuid):
        webhook = self._webhook(uuid)
        webhook_authorize(request.user, existing=webhook)
        services.webhook_delete(webhook=webhook)
        return Response(status=204)
