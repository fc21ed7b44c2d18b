from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "sso"
    label = "sso"
    default_auto_field = "django.db.models.BigAutoField"
