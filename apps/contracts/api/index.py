"""The broker's HAL index: the root URL for API clients (browsers get the dashboard instead:
`apps.ui.views.dashboard.home` dispatches).

Clients (pact_broker-client, the Rust CLI and verifiers) discover every endpoint from these
relations, so the rel names, href templates and template variable names are part of the contract,
including the broker's quirks: `pb:tagged-pact-versions` is templated yet says `templated: false`,
and `pb:metrics` has no `templated` key at all.
"""

from rest_framework.response import Response

from apps.core.hal import template_url, url
from apps.core.views import BrokerAPIView

# (rel, path template, title, templated) in the broker's order; None = no `templated` key.
INDEX_RELATIONS = [
    (
        "pb:publish-pact",
        "/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}",
        "Publish a pact",
        True,
    ),
    ("pb:publish-contracts", "/contracts/publish", "Publish contracts", False),
    ("pb:latest-pact-versions", "/pacts/latest", "Latest pact versions", False),
    # templated: false (sic) - the broker advertises it so and clients cope.
    (
        "pb:tagged-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/tag/{tag}",
        "All versions of a pact for a given consumer, provider and consumer version tag",
        False,
    ),
    (
        "pb:branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}",
        "All versions of pacts for a provider, for a named consumers branch",
        True,
    ),
    (
        "pb:latest-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/{branch}/latest/versions",
        "Latest version of pact for a provider, for a named consumers branch",
        True,
    ),
    (
        "pb:main-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/versions",
        "All versions of pacts for a provider, for a named consumers main branch",
        True,
    ),
    (
        "pb:latest-main-branch-pact-versions",
        "/pacts/provider/{provider}/consumer/{consumer}/branch/latest/versions",
        "Latest version of pact for a provider, for a named consumers main branch",
        True,
    ),
    (
        "pb:provider-pacts-with-main-branch",
        "/pacts/provider/{provider}/branch",
        "All pacts for a provider, for any consumers main branch",
        True,
    ),
    (
        "pb:provider-pacts-with-branch",
        "/pacts/provider/{provider}/branch/{branch}",
        "All pacts for a provider, for any consumers named branch",
        True,
    ),
    (
        "pb:latest-provider-pacts-with-main-branch",
        "/pacts/provider/{provider}/branch/latest",
        "Latest pact for a provider, for any consumers main branch",
        True,
    ),
    (
        "pb:latest-provider-pacts-with-branch",
        "/pacts/provider/{provider}/branch/{branch}/latest",
        "Latest pacts for a provider, for any consumers named branch",
        True,
    ),
    ("pb:pacticipants", "/pacticipants", "Pacticipants", False),
    ("pb:pacticipant", "/pacticipants/{pacticipant}", "Fetch pacticipant by name", True),
    ("pb:latest-provider-pacts", "/pacts/provider/{provider}/latest", "Latest pacts by provider", True),
    (
        "pb:latest-provider-pacts-with-tag",
        "/pacts/provider/{provider}/latest/{tag}",
        "Latest pacts for provider with the specified tag",
        True,
    ),
    (
        "pb:provider-pacts-with-tag",
        "/pacts/provider/{provider}/tag/{tag}",
        "All pact versions for the provider with the specified consumer version tag",
        True,
    ),
    ("pb:provider-pacts", "/pacts/provider/{provider}", "All pact versions for the specified provider", True),
    ("pb:latest-version", "/pacticipants/{pacticipant}/latest-version", "Latest pacticipant version", True),
    (
        "pb:latest-tagged-version",
        "/pacticipants/{pacticipant}/latest-version/{tag}",
        "Latest pacticipant version with the specified tag",
        True,
    ),
    ("pb:webhooks", "/webhooks", "Webhooks", False),
    ("pb:webhook", "/webhooks/{uuid}", "Webhook", True),
    ("pb:integrations", "/integrations", "Integrations", False),
    (
        "pb:pacticipant-version-tag",
        "/pacticipants/{pacticipant}/versions/{version}/tags/{tag}",
        "Get, create or delete a tag for a pacticipant version",
        True,
    ),
    (
        "pb:pacticipant-branch",
        "/pacticipants/{pacticipant}/branches/{branch}",
        "Get or delete a pacticipant branch",
        True,
    ),
    (
        "pb:pacticipant-branch-version",
        "/pacticipants/{pacticipant}/branches/{branch}/versions/{version}",
        "Get or add/create a pacticipant version for a branch",
        True,
    ),
    (
        "pb:pacticipant-version",
        "/pacticipants/{pacticipant}/versions/{version}",
        "Get, create or delete a pacticipant version",
        True,
    ),
    ("pb:metrics", "/metrics", "Get Pact Broker metrics", None),
    (
        "pb:can-i-deploy-pacticipant-version-to-tag",
        "/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}",
        "Determine if an application version can be safely deployed to an environment identified by the given tag",
        True,
    ),
    (
        "pb:can-i-deploy-pacticipant-version-to-environment",
        "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}",
        "Determine if an application version can be safely deployed to an environment",
        True,
    ),
    (
        "pb:provider-pacts-for-verification",
        "/pacts/provider/{provider}/for-verification",
        "Pact versions to be verified for the specified provider",
        True,
    ),
]
# After the curies in the broker's index.
TRAILING_RELATIONS = [
    ("pb:environments", "/environments", "Environments", False),
    ("pb:environment", "/environments/{uuid}", "Environment", True),
    # PactFlow's: the Pact CLIs publish provider contracts (bi-directional testing) through it.
    (
        "pf:publish-provider-contract",
        "/provider-contracts/provider/{provider}/publish",
        "Publish provider contract",
        True,
    ),
]


def _link(request, path: str, title: str, templated: bool | None) -> dict:
    body = {"href": template_url(request, path), "title": title}
    if templated is not None:
        body["templated"] = templated
    return body


def index_links(request) -> dict:
    base = url(request)
    links = {"self": {"href": base, "title": "Index", "templated": False}}
    for rel, path, title, templated in INDEX_RELATIONS:
        links[rel] = _link(request, path, title, templated)
    links["beta:provider-pacts-for-verification"] = {
        "name": "beta",
        "href": template_url(request, "/pacts/provider/{provider}/for-verification"),
        "title": "DEPRECATED - please use pb:provider-pacts-for-verification",
        "templated": True,
    }
    doc = {"href": f"{base}/doc/{{rel}}?context=index", "templated": True}
    links["curies"] = [{"name": "pb", **doc}, {"name": "beta", **doc}]
    for rel, path, title, templated in TRAILING_RELATIONS:
        links[rel] = _link(request, path, title, templated)
    return links


class IndexView(BrokerAPIView):
    def get(self, request):
        return Response({"_links": index_links(request)})
