from django.apps import AppConfig


class ProviderContractsConfig(AppConfig):
    name = "apps.provider_contracts"
    label = "provider_contracts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.provider_contracts import receivers  # noqa: F401  (pact publications start comparisons)
