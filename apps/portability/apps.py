from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "apps.portability"
    label = "portability"
    default_auto_field = "django.db.models.BigAutoField"
