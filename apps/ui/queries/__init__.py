"""Reads behind the web UI's pages. Every page costs a constant number of SQL statements,
whatever the data volume (pinned by tests/ui/test_query_counts.py)."""

from apps.ui.queries.environments import deployments_recent, environments_grid
from apps.ui.queries.integrations import (
    SORTS,
    STATUS_FILTERS,
    STATUS_TEXT,
    IntegrationRow,
    IntegrationsPage,
    integration_details,
    integrations_overview,
    integrations_page,
    network_graph,
    network_overview,
    placements_for,
)
from apps.ui.queries.pacticipants import pacticipant_page, pacticipants_all, versions_recent
from apps.ui.queries.pacts import integration_find, pact_find, pact_history, pacts_find, verifications_of
from apps.ui.queries.webhooks import webhook_deliveries, webhooks_overview

__all__ = [
    "STATUS_FILTERS",
    "SORTS",
    "STATUS_TEXT",
    "IntegrationRow",
    "IntegrationsPage",
    "deployments_recent",
    "environments_grid",
    "integration_details",
    "integration_find",
    "integrations_overview",
    "integrations_page",
    "network_graph",
    "network_overview",
    "pact_find",
    "placements_for",
    "pact_history",
    "pacticipant_page",
    "pacticipants_all",
    "pacts_find",
    "verifications_of",
    "versions_recent",
    "webhook_deliveries",
    "webhooks_overview",
]
