"""Billing on the public site: Stripe's webhook and the platform admin."""

from django.urls import path

from billing.api import views as api_views
from billing.views import platform

urlpatterns = [
    path("stripe/webhook", api_views.stripe_webhook, name="stripe-webhook"),
    path("platform/login", platform.PlatformLoginView.as_view(), name="platform-login"),
    # Named "logout" because the shared page header signs out through {% url 'logout' %}.
    path("platform/logout", platform.PlatformLogoutView.as_view(), name="logout"),
    path("platform/", platform.organisations, name="platform-organisations"),
    path("platform/organisations/<slug:slug>", platform.organisation, name="platform-organisation"),
    path("platform/organisations/<slug:slug>/plan", platform.plan_set, name="platform-plan-set"),
    path("platform/organisations/<slug:slug>/invoiced", platform.invoiced_start, name="platform-invoiced"),
]
