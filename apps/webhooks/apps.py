from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.webhooks import metrics, receivers  # noqa: F401  (the delivery counter; the domain-event receivers)
