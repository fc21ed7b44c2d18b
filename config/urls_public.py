"""URLs of the public site (the bare BASE_DOMAIN)."""

from django.urls import include, path

from tenants import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup", views.signup, name="signup"),
    path("", include("billing.urls_public")),  # Stripe webhook, platform admin
]
