from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.webhooks import receivers  # noqa: F401  (connects the domain-event receivers)
