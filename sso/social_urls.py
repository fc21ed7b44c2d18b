"""social-auth's URL names (`social:begin`, `social:complete`) on our own views: only these two.

social-app-django's own urls.py also offers IdP/app launch and disconnect endpoints that we do not
want reachable.
"""

from django.urls import path

from sso.views import sign_in as views

app_name = "social"

urlpatterns = [
    path("login/<str:backend>/", views.social_begin, name="begin"),
    path("complete/<str:backend>/", views.social_complete, name="complete"),
]
