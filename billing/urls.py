"""Settings > Subscription on an organisation's host."""

from django.urls import path

from billing.views import subscription as views

urlpatterns = [
    path("settings/subscription", views.subscription, name="billing-subscription"),
    path("settings/subscription/checkout", views.checkout, name="billing-checkout"),
    path("settings/subscription/portal", views.portal, name="billing-portal"),
    path("settings/subscription/plan", views.plan_change, name="billing-plan"),
    path("settings/subscription/seats", views.seats_change, name="billing-seats"),
]
