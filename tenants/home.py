"""The organisation's root URL for browsers: the dashboard (apps/ui). The broker index takes `/`
for API clients and hands browsers to this view."""
from apps.ui.views.dashboard import dashboard_page


def index(request):
    return dashboard_page(request)
