"""Settings pages of the platform on an organisation's host (Settings > Organisation)."""

from django.urls import path

from tenants.views.closing import organisation_close, organisation_reopen, organisation_settings

urlpatterns = [
    path("settings/organisation", organisation_settings, name="organisation-settings"),
    path("settings/organisation/close", organisation_close, name="organisation-close"),
    path("settings/organisation/reopen", organisation_reopen, name="organisation-reopen"),
]
