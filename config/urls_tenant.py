"""URLs of an organisation's host (and of a self-hosted broker)."""
from django.urls import include, path

from tenants import home

urlpatterns = [
    path("", include("apps.accounts.urls")),
    path("", include("apps.pacts_for_verification.urls")),
    path("", include("apps.contracts.urls")),
    path("", include("apps.verifications.urls")),
    path("", include("apps.environments.urls")),
    path("", include("apps.matrix.urls")),
    path("", include("apps.webhooks.urls")),
    path("", include("apps.secrets.urls")),
    path("", include("billing.urls")),  # Settings > Subscription
    path("", include("sso.urls")),  # SSO: SAML, GitHub, Google, Settings > SSO
    path("", include("apps.ui.urls")),  # the web UI: /dashboard, /ui/..., /settings, /settings/secrets
    path("", home.index, name="index"),
]
