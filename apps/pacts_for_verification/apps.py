from django.apps import AppConfig


class PactsForVerificationConfig(AppConfig):
    name = "apps.pacts_for_verification"
    label = "pacts_for_verification"
    default_auto_field = "django.db.models.BigAutoField"
