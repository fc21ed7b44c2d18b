from django.urls import path

from apps.secrets.api import views as api

urlpatterns = [
    path("secrets", api.SecretsView.as_view(), name="secrets"),
    path("secrets/<uuid:uuid>", api.SecretView.as_view(), name="secret"),
]
