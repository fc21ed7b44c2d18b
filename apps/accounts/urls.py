from django.urls import path

from apps.accounts import views
from tenants.views import confirm

urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", views.LogoutView.as_view(), name="logout"),
    path("confirm/<str:token>", confirm, name="signup-confirm"),
]
