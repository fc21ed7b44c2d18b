from django.apps import AppConfig


class ProviderContractsConfig(AppConfig):
    name = "apps.provider_contracts"
    label = "provider_contracts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the comparison tasks in every process (web too), so queueing them by name
        # (apps/provider_contracts/queueing.py) finds them.
        from apps.provider_contracts import (
            receivers,  # noqa: F401  (pact publications start comparisons)
            tasks,  # noqa: F401
        )
