from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Plans and limits, Stripe customers and subscriptions, Stripe webhooks, the platform admin.

    Lives in the public schema only: billing state belongs to the platform, not to an organisation.
    """

    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"
