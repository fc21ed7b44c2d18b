from django.urls import path

from apps.portability import views

urlpatterns = [
    path("settings/data", views.data, name="portability-data"),
    path("settings/data/export", views.export_start, name="portability-export"),
    path("settings/data/export/<uuid:uuid>", views.export_download, name="portability-download"),
]
