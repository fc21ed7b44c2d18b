"""Pact Broker resources of the contracts app: pacts, publishing, integrations.

Literal segments are listed before variables (a branch named `versions`/`latest` cannot be
addressed, as in the broker). The pact badges (`.../latest/badge`) are the verifications app's,
whose URLs come first (config/urls_tenant.py), so a tag literally named `badge` cannot be addressed
either, as in the broker.
"""

from django.urls import include, path

from apps.contracts.api import diffs, doc_pages, integrations, pact_lists, pacts, publish

INTEGRATION = "pacts/provider/<str:provider>/consumer/<str:consumer>"
PACT = [
    f"{INTEGRATION}/version/<str:version>",
    f"{INTEGRATION}/versions/<str:version>",
    "pact/provider/<str:provider>/consumer/<str:consumer>/version/<str:version>",
]
PROVIDER = "pacts/provider/<str:provider>"

urlpatterns = [
    path("", include("apps.contracts.api.urls_pacticipants")),
    path("contracts/publish", publish.PublishContractsResource.as_view()),
    path("doc/<str:rel>", doc_pages.DocResource.as_view()),
    path("test/error", doc_pages.ErrorTestResource.as_view()),
    path("pacts/latest", pact_lists.LatestPactsResource.as_view()),
    path("integrations", integrations.IntegrationsResource.as_view()),
    path("integrations/team/<str:uuid>", integrations.TeamIntegrationsResource.as_view()),
    path("relationships", integrations.RelationshipsResource.as_view()),
    path("groups/<str:pacticipant>", integrations.GroupResource.as_view()),
    path("integrations/provider/<str:provider>/consumer/<str:consumer>", integrations.IntegrationResource.as_view()),
    # One pact
    *[path(route, pacts.PactResource.as_view()) for route in PACT],
    path(f"{PACT[0]}/previous-distinct", diffs.PreviousDistinctResource.as_view()),
    path(f"{PACT[0]}/diff/previous-distinct", diffs.DiffPreviousDistinctResource.as_view()),
    path(f"{PACT[0]}/diff/version/<str:other_version>", diffs.DiffVersionsResource.as_view()),
    path(f"{INTEGRATION}/pact-version/<str:sha>", pacts.PactVersionResource.as_view()),
    path(f"{INTEGRATION}/pact-version/<str:sha>/metadata/<str:metadata>", pacts.PactVersionResource.as_view()),
    path(
        f"{INTEGRATION}/pact-version/<str:sha>/diff/pact-version/<str:other_sha>",
        diffs.DiffPactVersionsResource.as_view(),
    ),
    path(f"{INTEGRATION}/latest", pacts.LatestPactResource.as_view()),
    path(f"{INTEGRATION}/latest-untagged", pacts.LatestPactResource.as_view(untagged=True)),
    path(f"{INTEGRATION}/latest/<str:tag>", pacts.LatestPactResource.as_view()),
    # Pact versions of one integration
    path(f"{INTEGRATION}/versions", pact_lists.PactVersionsResource.as_view(delete_status=204)),
    path(f"{INTEGRATION}/tag/<str:tag>", pact_lists.PactVersionsResource.as_view()),
    path(f"{INTEGRATION}/branch/versions", pact_lists.PactVersionsResource.as_view(main_branch=True)),
    path(
        f"{INTEGRATION}/branch/latest/versions",
        pact_lists.PactVersionsResource.as_view(main_branch=True, latest_only=True),
    ),
    path(
        f"{INTEGRATION}/branch/<str:branch>/latest/versions", pact_lists.PactVersionsResource.as_view(latest_only=True)
    ),
    path(f"{INTEGRATION}/branch/<str:branch>/latest", pacts.LatestPactResource.as_view()),
    path(f"{INTEGRATION}/branch/<str:branch>", pact_lists.PactVersionsResource.as_view()),
    # A provider's pacts
    path(PROVIDER, pact_lists.ProviderPactsResource.as_view()),
    path(f"{PROVIDER}/tag/<str:tag>", pact_lists.ProviderPactsResource.as_view()),
    path(f"{PROVIDER}/latest", pact_lists.ProviderPactsResource.as_view(latest=True)),
    path(f"{PROVIDER}/latest/<str:tag>", pact_lists.ProviderPactsResource.as_view(latest=True)),
    path(f"{PROVIDER}/branch", pact_lists.ProviderPactsResource.as_view(main_branch=True)),
    path(f"{PROVIDER}/branch/latest", pact_lists.ProviderPactsResource.as_view(main_branch=True, latest=True)),
    path(f"{PROVIDER}/branch/<str:branch>", pact_lists.ProviderPactsResource.as_view()),
    path(f"{PROVIDER}/branch/<str:branch>/latest", pact_lists.ProviderPactsResource.as_view(latest=True)),
    path(f"{PROVIDER}/provider-states", pact_lists.ProviderStatesResource.as_view()),
    path(f"{PROVIDER}/provider-states/branch/<str:branch>", pact_lists.ProviderStatesResource.as_view()),
]
