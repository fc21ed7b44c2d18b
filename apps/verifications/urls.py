"""Verification results resources (all under the pact's URL, as in the broker), and the pact badges.

These URLs come before the contracts app's (config/urls_tenant.py): `.../latest/badge` is a badge,
not the latest pact for a tag named `badge`, as in the broker. A trailing `.svg` on badge paths is
accepted like the broker's extension handling.
"""

from django.urls import path, re_path

from apps.verifications.api import badges
from apps.verifications.api import views as api

INTEGRATION = "pacts/provider/<str:provider>/consumer/<str:consumer>"
CONTENT = f"{INTEGRATION}/pact-version/<str:sha>"
SVG = r"(?:\.svg)?"
BADGE_BASE = r"^pacts/provider/(?P<provider>[^/]+)/consumer/(?P<consumer>[^/]+)"

urlpatterns = [
    re_path(BADGE_BASE + r"/latest/badge" + SVG + "$", badges.PactBadgeResource.as_view()),
    re_path(BADGE_BASE + r"/latest-untagged/badge" + SVG + "$", badges.PactBadgeResource.as_view(untagged=True)),
    re_path(BADGE_BASE + r"/latest/(?P<tag>[^/]+)/badge" + SVG + "$", badges.PactBadgeResource.as_view()),
    path(
        "matrix/provider/<str:provider>/latest/<str:provider_tag>/consumer/<str:consumer>/latest/<str:consumer_tag>/badge",
        badges.MatrixBadgeResource.as_view(),
    ),
    path(f"{CONTENT}/verification-results", api.VerificationsResource.as_view()),
    path(f"{CONTENT}/metadata/<str:metadata>/verification-results", api.VerificationsResource.as_view()),
    path(f"{CONTENT}/verification-results/<str:number>", api.VerificationResource.as_view()),
    path(f"{CONTENT}/metadata/<str:metadata>/verification-results/<str:number>", api.VerificationResource.as_view()),
    path(
        f"{INTEGRATION}/version/<str:version>/verification-results/latest",
        api.LatestVerificationForPactResource.as_view(),
    ),
    path(f"{INTEGRATION}/latest/verification-results/latest", api.LatestVerificationForPactResource.as_view()),
    path(
        f"{INTEGRATION}/latest/<str:tag>/verification-results/latest", api.LatestVerificationForPactResource.as_view()
    ),
    path(
        "verification-results/consumer/<str:consumer>/version/<str:version>/latest",
        api.LatestVerificationsForConsumerVersionResource.as_view(),
    ),
]
