from django.urls import path

from apps.pacts_for_verification.api.views import ProviderPactsForVerificationView

urlpatterns = [
    path(
        "pacts/provider/<str:provider_name>/for-verification",
        ProviderPactsForVerificationView.as_view(),
        name="provider-pacts-for-verification",
    ),
]
