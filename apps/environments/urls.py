from django.urls import path

from apps.environments.api import views

urlpatterns = [
    path("environments", views.EnvironmentsView.as_view(), name="environments"),
    path("environments/<str:uuid>", views.EnvironmentView.as_view(), name="environment"),
    path(
        "environments/<str:uuid>/deployed-versions/currently-deployed",
        views.CurrentlyDeployedVersionsView.as_view(),
        name="environment-currently-deployed",
    ),
    path(
        "environments/<str:uuid>/released-versions/currently-supported",
        views.CurrentlySupportedReleasedVersionsView.as_view(),
        name="environment-currently-supported",
    ),
    path(
        "pacticipants/<str:pacticipant_name>/versions/<str:version_number>/deployed-versions/environment/<str:uuid>",
        views.DeployedVersionsForVersionView.as_view(),
        name="version-deployed-versions",
    ),
    path(
        "pacticipants/<str:pacticipant_name>/versions/<str:version_number>/released-versions/environment/<str:uuid>",
        views.ReleasedVersionsForVersionView.as_view(),
        name="version-released-versions",
    ),
    path("deployed-versions/<str:uuid>", views.DeployedVersionView.as_view(), name="deployed-version"),
    path("released-versions/<str:uuid>", views.ReleasedVersionView.as_view(), name="released-version"),
]
