from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "apps.webhooks"
    label = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the delivery task in every process (web too), so services queue it by name.
        from apps.webhooks import (  # noqa: F401  (the delivery counter; the domain-event receivers)
            metrics,
            receivers,
            tasks,  # noqa: F401
        )
