"""URLs of an organisation's host (and of a self-hosted broker)."""
from django.urls import include, path

from tenants import home

urlpatterns = [
    path("", include("apps.accounts.urls")),
    path("", home.index, name="index"),
]
