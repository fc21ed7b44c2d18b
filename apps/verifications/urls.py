"""Verification results resources (all under the pact's URL, as in the broker)."""
from django.urls import path

from apps.verifications.api import views as api

INTEGRATION = "pacts/provider/<str:provider>/consumer/<str:consumer>"
CONTENT = f"{INTEGRATION}/pact-version/<str:sha>"

urlpatterns = [
    path(f"{CONTENT}/verification-results", api.VerificationsResource.as_view()),
    path(f"{CONTENT}/metadata/<str:metadata>/verification-results", api.VerificationsResource.as_view()),
    path(f"{CONTENT}/verification-results/<str:number>", api.VerificationResource.as_view()),
    path(f"{CONTENT}/metadata/<str:metadata>/verification-results/<str:number>", api.VerificationResource.as_view()),
    path(f"{INTEGRATION}/version/<str:version>/verification-results/latest",
         api.LatestVerificationForPactResource.as_view()),
    path(f"{INTEGRATION}/latest/verification-results/latest", api.LatestVerificationForPactResource.as_view()),
    path(f"{INTEGRATION}/latest/<str:tag>/verification-results/latest",
         api.LatestVerificationForPactResource.as_view()),
    path("verification-results/consumer/<str:consumer>/version/<str:version>/latest",
         api.LatestVerificationsForConsumerVersionResource.as_view()),
]
