from django.urls import path

from apps.matrix.api import views

urlpatterns = [
    path("matrix", views.MatrixView.as_view(), name="matrix"),
    path(
        "matrix/provider/<str:provider_name>/consumer/<str:consumer_name>",
        views.MatrixForConsumerAndProviderView.as_view(),
        name="matrix-for-consumer-and-provider",
    ),
    path("can-i-deploy", views.CanIDeployView.as_view(), name="can-i-deploy"),
    path(
        "pacticipants/<str:pacticipant_name>/latest-version/<str:tag>/can-i-deploy/to/<str:to_tag>",
        views.TagToTagCanIDeployView.as_view(),
        name="can-i-deploy-tag-to-tag",
    ),
    path(
        "pacticipants/<str:pacticipant_name>/latest-version/<str:tag>/can-i-deploy/to/<str:to_tag>/badge",
        views.TagToTagCanIDeployBadgeView.as_view(),
        name="can-i-deploy-tag-to-tag-badge",
    ),
    path(
        "pacticipants/<str:pacticipant_name>/branches/<str:branch>/latest-version/can-i-deploy/"
        "to-environment/<str:environment>",
        views.BranchToEnvironmentCanIDeployView.as_view(),
        name="can-i-deploy-branch-to-environment",
    ),
    path(
        "pacticipants/<str:pacticipant_name>/branches/<str:branch>/latest-version/can-i-deploy/"
        "to-environment/<str:environment>/badge",
        views.BranchToEnvironmentCanIDeployBadgeView.as_view(),
        name="can-i-deploy-branch-to-environment-badge",
    ),
    path(
        "pacticipants/<str:pacticipant_name>/main-branch/can-i-merge/badge",
        views.CanIMergeBadgeView.as_view(),
        name="can-i-merge-badge",
    ),
]
