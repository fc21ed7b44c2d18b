"""Triggered webhooks of a publication or verification, and their execution logs."""

from collections import Counter
from urllib.parse import urlparse

from rest_framework.response import Response

from apps.contracts.hal.pacts import pact_name
from apps.contracts.hal.urls import pact_url
from apps.contracts.models import PactPublication
from apps.contracts.queries import pacticipant_find, version_find
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.renderers import HalJSONRenderer, PlainJSONRenderer, PlainTextRenderer
from apps.core.views import BrokerAPIView
from apps.verifications.models import Verification
from apps.webhooks import queries
from apps.webhooks.hal.webhooks import logs_body, triggered_webhook_body, triggered_webhooks_body
from apps.webhooks.models import TriggeredWebhook, WebhookExecution


def _pacticipants(provider_name: str, consumer_name: str):
    provider, consumer = pacticipant_find(provider_name), pacticipant_find(consumer_name)
    if provider is None or consumer is None:
        raise NotFound()
    return provider, consumer


class PactTriggeredWebhooksView(BrokerAPIView):
    """GET /pacts/provider/{p}/consumer/{c}/version/{v}/triggered-webhooks (pb:triggered-webhooks)."""

    def get(self, request, provider_name, consumer_name, version_number):
        provider, consumer = _pacticipants(provider_name, consumer_name)
        version = version_find(consumer, version_number)
        if version is None:
            raise NotFound()
        publication_ids = PactPublication.objects.filter(consumer_version=version, provider=provider).values_list(
            "id", flat=True
        )
        triggered = queries.triggered_webhooks_for_publication(list(publication_ids))
        of = f"the pact between {consumer.name} ({version.number}) and {provider.name}"
        return Response(triggered_webhooks_body(request, triggered, hal.template_url(request, request.path), of))


class VerificationTriggeredWebhooksView(BrokerAPIView):
    """GET /pacts/provider/{p}/consumer/{c}/pact-version/{sha}/verification-results/{n}/triggered-webhooks."""

    def get(self, request, provider_name, consumer_name, sha, number):
        provider, consumer = _pacticipants(provider_name, consumer_name)
        verification = Verification.objects.filter(
            provider=provider, consumer=consumer, pact_version__sha=sha, number=number
        ).first()
        if verification is None:
            raise NotFound()
        triggered = queries.triggered_webhooks_for_verification(verification)
        of = f"verification result {verification.number}"
        return Response(triggered_webhooks_body(request, triggered, hal.template_url(request, request.path), of))


class PactWebhooksStatusView(BrokerAPIView):
    """GET /pacts/provider/{p}/consumer/{c}/webhooks/status (`pb:webhook-status`): how the integration's
    webhooks last went, as the broker's PactWebhooksStatus decorator shows it."""

    def get(self, request, provider_name, consumer_name):
        provider, consumer = _pacticipants(provider_name, consumer_name)
        latest = queries.triggered_webhooks_latest_for_integration(consumer=consumer, provider=provider)
        counts = Counter(t.status for t in latest)
        summary = {
            "successful": counts[TriggeredWebhook.Status.SUCCESS],
            "failed": counts[TriggeredWebhook.Status.FAILURE],
        }
        if counts[TriggeredWebhook.Status.RETRYING]:
            summary["retrying"] = counts[TriggeredWebhook.Status.RETRYING]
        if counts[TriggeredWebhook.Status.NOT_RUN]:
            summary["notRun"] = counts[TriggeredWebhook.Status.NOT_RUN]
        links = {
            "self": hal.link(hal.template_url(request, request.path), title="Webhooks status"),
            "pb:error-logs": [
                hal.link(
                    hal.url(request, "triggered-webhooks", t.uuid, "logs"),
                    title="Error logs",
                    name=_request_description(t),
                )
                for t in latest
                if t.status in (TriggeredWebhook.Status.FAILURE, TriggeredWebhook.Status.RETRYING)
            ],
            "pb:pact-webhooks": hal.link(
                hal.url(request, "pacts", "provider", provider.name, "consumer", consumer.name, "webhooks"),
                title=f"Webhooks for the pact between {consumer.name} and {provider.name}",
            ),
        }
        if latest:
            number = latest[0].pact_publication.consumer_version.number
            links["pb:pact-version"] = hal.link(
                pact_url(request, provider.name, consumer.name, number),
                title="Pact",
                name=pact_name(consumer.name, number, provider.name),
            )
        links["pb:consumer"] = hal.link(
            hal.url(request, "pacticipants", consumer.name), title="Consumer", name=consumer.name
        )
        links["pb:provider"] = hal.link(
            hal.url(request, "pacticipants", provider.name), title="Provider", name=provider.name
        )
        return Response(
            {
                "summary": summary,
                "_embedded": {"triggeredWebhooks": [triggered_webhook_body(request, t) for t in latest]},
                "_links": links,
            }
        )


def _request_description(triggered: TriggeredWebhook) -> str | None:
    """The broker's `request_description`: method and host of the webhook's request."""
    webhook = triggered.webhook
    return f"{webhook.method.upper()} {urlparse(webhook.url).hostname}" if webhook else None


class TriggeredWebhookLogsView(BrokerAPIView):
    """GET /triggered-webhooks/{uuid}/logs: hal+json, or text/plain (the joined logs)."""

    renderer_classes = [HalJSONRenderer, PlainJSONRenderer, PlainTextRenderer]
    produces = tuple(renderer.media_type for renderer in renderer_classes)

    def get(self, request, uuid):
        triggered = queries.triggered_webhook_find(uuid)
        if triggered is None:
            raise NotFound()
        executions = WebhookExecution.objects.filter(triggered_webhook=triggered).order_by("created_at", "id")
        if request.accepted_renderer.media_type == "text/plain":
            text = "\n".join(e.logs for e in executions) or "Webhook has not executed yet.\n"
            return Response(text, content_type="text/plain;charset=utf-8")
        return Response(logs_body(request, triggered, executions))
