from django.urls import path

from . import views

urlpatterns = [path("settings/import", views.import_page, name="broker-import")]
