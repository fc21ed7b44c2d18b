"""The web UI's pages. Contract pages live under /ui/ so they never shadow the Pact Broker API's
paths (/pacticipants, /pacts, /matrix, /environments, /webhooks); /dashboard is the broker's own
path (its JSON dashboard for API clients, the page for browsers), and settings pages sit beside the
other engineers' /settings/* pages."""

from django.urls import path

from apps.ui.views import (
    applications,
    contracts,
    dashboard,
    deploy,
    hal_browser,
    matrix,
    provider_contracts,
    settings_pages,
    webhooks,
)

urlpatterns = [
    path("hal-browser/browser.html", hal_browser.hal_browser, name="hal-browser"),
    path("dashboard", dashboard.dashboard, name="ui-dashboard"),
    path(
        "dashboard/provider/<path:provider>/consumer/<path:consumer>", dashboard.dashboard, name="dashboard-integration"
    ),
    path("ui/network", dashboard.network, name="ui-network"),
    # Names may hold a "/" (the broker URL-encodes it; Django routes the decoded path), so they are
    # matched with `path`; the more specific patterns come first.
    path("ui/applications", applications.application_list, name="ui-applications"),
    path("ui/applications/<path:name>", applications.application, name="ui-application"),
    path("ui/favourites", applications.favourite, name="ui-favourite"),
    path("ui/pacticipants", applications.pacticipant_redirect, name="ui-pacticipants-moved"),
    path("ui/pacticipants/<path:name>", applications.pacticipant_redirect, name="ui-pacticipant-moved"),
    path(
        "ui/pacts/provider/<path:provider>/consumer/<path:consumer>/version/<path:version>",
        contracts.pact,
        name="ui-pact-version",
    ),
    path("ui/pacts/provider/<path:provider>/consumer/<path:consumer>/diff", contracts.pact_diff, name="ui-pact-diff"),
    path("ui/pacts/provider/<path:provider>/consumer/<path:consumer>", contracts.pact, name="ui-pact"),
    path(
        "ui/provider-contracts/provider/<path:provider>/version/<path:version>",
        provider_contracts.provider_contract,
        name="ui-provider-contract",
    ),
    path("ui/matrix", matrix.matrix, name="ui-matrix"),
    path("ui/can-i-deploy", deploy.can_i_deploy_page, name="ui-can-i-deploy"),
    path("ui/can-i-deploy/versions", deploy.version_options, name="ui-version-options"),
    path("ui/environments", deploy.environments, name="ui-environments"),
    path("ui/webhooks", webhooks.webhook_list, name="ui-webhooks"),
    path("ui/webhooks/new", webhooks.webhook_new, name="ui-webhook-new"),
    path("ui/webhooks/<str:uuid>", webhooks.webhook_detail, name="ui-webhook"),
    path("ui/webhooks/<str:uuid>/test", webhooks.webhook_test, name="ui-webhook-test"),
    path("ui/webhooks/<str:uuid>/delete", webhooks.webhook_delete, name="ui-webhook-delete"),
    path("settings", settings_pages.settings_index, name="ui-settings"),
    path("settings/secrets", settings_pages.secrets, name="ui-secrets"),
    path("settings/environments", settings_pages.environments, name="ui-settings-environments"),
    path("settings/environments/<str:uuid>", settings_pages.environment_edit, name="ui-settings-environment"),
]
