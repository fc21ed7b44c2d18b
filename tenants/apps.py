from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tenants import (
            routing_cache,  # noqa: F401  (connects the cache invalidation receivers)
            tasks,  # noqa: F401  (registers tenants.spares_fill, queued by name from services)
        )
        from tenants.metrics import connect_signals

        connect_signals()  # Celery task metrics
