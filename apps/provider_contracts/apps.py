from django.apps import AppConfig


class ProviderContractsConfig(AppConfig):
    name = "apps.provider_contracts"
    label = "provider_contracts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # receivers: pact publications start comparisons. tasks: the comparison tasks, registered in every
        # process (web too), since queueing.py finds them by name and runs them here when the broker is down.
        from apps.provider_contracts import receivers, tasks  # noqa: F401
