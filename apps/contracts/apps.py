from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "apps.contracts"
    label = "contracts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The plan's integration limit is billing's rule over this app's integrations: billing asks
        # through a counter registered here, so it never imports this app (billing/limits.py).
        from apps.contracts.queries import integrations_count, integrations_existing
        from billing.limits import integrations_counter_register

        integrations_counter_register(count=integrations_count, existing=integrations_existing)
