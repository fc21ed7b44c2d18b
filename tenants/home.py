"""The organisation's root URL for browsers: the dashboard (apps/ui). The broker index takes `/`
for API clients and hands browsers to this view."""
from apps.ui.views.dashboard import dashboard


def index(request):
    return dashboard(request)
