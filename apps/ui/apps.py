from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "apps.ui"
    label = "ui"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A browser asking for a pact URL gets the contract page (apps/contracts/api/pact_html.py).
        from apps.contracts.api.pact_html import pact_page_register
        from apps.ui.views.contracts import pact

        pact_page_register(pact)
