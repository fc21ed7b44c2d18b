from django.apps import AppConfig


class BrokerImportConfig(AppConfig):
    name = "apps.broker_import"
    label = "broker_import"
    verbose_name = "Import from a Pact Broker"
    default_auto_field = "django.db.models.BigAutoField"
