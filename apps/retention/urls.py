from django.urls import path

from apps.retention import views

urlpatterns = [
    path("settings/retention", views.retention_settings, name="retention-settings"),
    path("settings/retention/policy", views.retention_update, name="retention-update"),
    path("settings/retention/dry-run", views.retention_dry_run, name="retention-dry-run"),
]
