"""URLs of an organisation's host (and of a self-hosted broker)."""

from django.urls import include, path

from apps.ui.views.dashboard import home
from tenants.views import confirm

urlpatterns = [
    # The link in the sign-up e-mail, on the new organisation's host (tenants/views/).
    path("confirm/<str:token>", confirm, name="signup-confirm"),
    path("", include("apps.accounts.urls")),
    path("", include("apps.pacts_for_verification.urls")),
    path("", include("apps.verifications.urls")),  # before contracts: `.../latest/badge` is a badge
    path("", include("apps.contracts.urls")),
    path("", include("apps.provider_contracts.urls")),  # bi-directional contract testing (PactFlow's paths)
    path("", include("apps.environments.urls")),
    path("", include("apps.matrix.urls")),
    path("", include("apps.webhooks.urls")),
    path("", include("apps.secrets.urls")),
    path("", include("billing.urls")),  # Settings > Subscription
    path("", include("sso.urls")),  # SSO: SAML, GitHub, Google, Settings > SSO
    path("", include("apps.broker_import.urls")),  # Settings > Import (from a running Pact Broker)
    path("", include("tenants.urls")),  # Settings > Organisation: closing the organisation
    path("", include("apps.portability.urls")),  # Settings > Data: export archives
    path("", include("apps.retention.urls")),  # Settings > Retention: keep-selectors, dry run
    path("", include("apps.ui.urls")),  # the web UI: /dashboard, /ui/..., /settings, /settings/secrets
    # The HAL index for API clients; browsers keep getting the home page (apps.core.negotiation.wants_ui).
    path("", home, name="index"),
]

handler404 = "apps.core.views.not_found"  # the broker's JSON 404 for API clients (HTML for browsers)
