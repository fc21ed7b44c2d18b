"""Provider contract resources (PactFlow's paths)."""

from django.urls import path

from apps.provider_contracts.api import views

CONTRACT = "contracts/provider/<str:provider>/version/<str:version>"
BI_DIRECTIONAL = "contracts/bi-directional/provider/<str:provider>/version/<str:version>"

urlpatterns = [
    path("provider-contracts/provider/<str:provider>/publish", views.PublishProviderContractResource.as_view()),
    path("provider-contracts/provider/<str:provider>", views.ProviderContractsResource.as_view()),
    path(CONTRACT, views.ProviderContractResource.as_view()),
    path(
        f"{CONTRACT}/consumer/<str:consumer>/pact-version/<str:sha>/verification-results",
        views.CrossContractResultsResource.as_view(),
    ),
    path(f"{BI_DIRECTIONAL}/provider-contract", views.ProviderContractPartResource.as_view()),
    path(
        f"{BI_DIRECTIONAL}/provider-contract-verification-results",
        views.ProviderContractPartResource.as_view(part="provider-contract-verification-results"),
    ),
]
