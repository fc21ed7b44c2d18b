from django.urls import path

from apps.webhooks.api import broker_metrics, execute, triggered, webhooks

PACT = "pacts/provider/<str:provider_name>/consumer/<str:consumer_name>"

urlpatterns = [
    path("metrics", broker_metrics.MetricsResource.as_view(), name="broker-metrics"),
    path("webhooks", webhooks.WebhooksView.as_view(), name="webhooks"),
    path("webhooks/execute", execute.UnsavedWebhookExecuteView.as_view(), name="webhooks-execute"),
    path(
        "webhooks/provider/<str:provider_name>/consumer/<str:consumer_name>",
        webhooks.ScopedWebhooksView.as_view(),
        name="webhooks-integration",
    ),
    path("webhooks/provider/<str:provider_name>", webhooks.ScopedWebhooksView.as_view(), name="webhooks-provider"),
    path("webhooks/consumer/<str:consumer_name>", webhooks.ScopedWebhooksView.as_view(), name="webhooks-consumer"),
    path("webhooks/<str:uuid>", webhooks.WebhookView.as_view(), name="webhook"),
    path("webhooks/<str:uuid>/execute", execute.WebhookExecuteView.as_view(), name="webhook-execute"),
    path(f"{PACT}/webhooks", webhooks.ScopedWebhooksView.as_view(), name="pact-webhooks"),
    path(f"{PACT}/webhooks/status", triggered.PactWebhooksStatusView.as_view(), name="pact-webhooks-status"),
    path(
        f"{PACT}/version/<str:version_number>/triggered-webhooks",
        triggered.PactTriggeredWebhooksView.as_view(),
        name="pact-triggered-webhooks",
    ),
    path(
        f"{PACT}/pact-version/<str:sha>/verification-results/<int:number>/triggered-webhooks",
        triggered.VerificationTriggeredWebhooksView.as_view(),
        name="verification-triggered-webhooks",
    ),
    path(
        "triggered-webhooks/<str:uuid>/logs",
        triggered.TriggeredWebhookLogsView.as_view(),
        name="triggered-webhook-logs",
    ),
]
