"""Provider contract resources: publish (current and older API), read, list, delete, and the
cross-contract verification results of a pact against a provider version's contract."""

from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.pact_common import json_body, self_url
from apps.contracts.hal.urls import pacticipant_url, version_url
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.negotiation import HAL_OR_JSON
from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView
from apps.provider_contracts import queries
from apps.provider_contracts.api.contract import legacy_params_parse, publish_params_parse
from apps.provider_contracts.hal.provider_contracts import (
    cross_contract_results_body,
    provider_contract_body,
    provider_contract_ui_url,
    provider_contract_url,
)
from apps.provider_contracts.services.deletion import provider_contract_delete
from apps.provider_contracts.services.publish import provider_contract_publish


def _notices(request, published) -> list[dict]:
    provider, number = published.provider.name, published.version.number
    action = "Created" if published.version_created else "Updated"
    version_text = f"{action} {provider} version {number}"
    if published.branch:
        version_text += f" with branch {published.branch}"
    if published.tags:
        version_text += f" {'and' if published.branch else 'with'} tags {', '.join(published.tags)}"
    notices = [
        {"type": "debug", "text": version_text},
        {"type": "success", "text": f"Successfully published provider contract for {provider} version {number}"},
    ]
    results = published.publication.self_verification_success
    if results is None:
        notices.append(
            {
                "type": "warning",
                "text": "No self-verification result was given: comparisons with "
                "consumer pacts will not count as successful until one is",
            }
        )
    elif not results:
        notices.append(
            {
                "type": "warning",
                "text": "The self-verification failed: can-i-deploy will say no for "
                "every consumer of this provider version",
            }
        )
    consumers = published.consumer_names
    if consumers:
        notices.append(
            {
                "type": "info",
                "text": f"The contract will be compared with the pacts of "
                f"{len(consumers)} consumer{'s' if len(consumers) != 1 else ''}: "
                f"{', '.join(consumers)}",
            }
        )
    else:
        notices.append(
            {
                "type": "info",
                "text": f"No consumer has published a pact with {provider} yet; each one "
                "will be compared with this contract when it does",
            }
        )
    notices.append(
        {
            "type": "info",
            "text": "View the provider contract and its comparisons at "
            f"{provider_contract_ui_url(request, provider, number)}",
        }
    )
    notices.append(
        {
            "type": "prompt",
            "text": "Next steps:\n  * Check your application is safe to deploy - "
            "https://docs.pact.io/can_i_deploy\n    pact broker can-i-deploy "
            f"--pacticipant {provider} --version {number} --to-environment "
            "<your environment name>",
        }
    )
    return notices


class PublishProviderContractResource(BrokerAPIView):
    """`POST /provider-contracts/provider/{provider}/publish` (index relation pf:publish-provider-contract)."""

    produces = HAL_OR_JSON

    required_permissions = {"POST": Perm.CONTRACT_DATA_MANAGE}

    def post(self, request, provider):
        contract_data_authorize(request.user, changing=[provider])
        params = publish_params_parse(json_body(request))
        published = provider_contract_publish(
            provider_name=provider,
            version_number=params["version_number"],
            contract=params["contract"],
            branch=params["branch"],
            tags=params["tags"],
            build_url=params["build_url"],
        )
        number = published.version.number
        links = {
            "pb:pacticipant": hal.link(pacticipant_url(request, provider), title="Pacticipant", name=provider),
            "pb:pacticipant-version": hal.link(
                version_url(request, provider, number), title="Pacticipant version", name=number
            ),
            "pb:pacticipant-version-tags": [
                hal.link(version_url(request, provider, number) + f"/tags/{hal.encode(tag)}", title="Tag", name=tag)
                for tag in published.tags
            ],
            "pf:provider-contract": hal.link(
                provider_contract_url(request, provider, number), title="Provider contract"
            ),
            "pf:ui": hal.link(provider_contract_ui_url(request, provider, number), title="Provider contract page"),
        }
        if published.branch:
            links["pb:branch-version"] = hal.link(
                hal.url(request, "pacticipants", provider, "branches", published.branch, "versions", number),
                title="Branch version",
                name=published.branch,
            )
        body = {
            "notices": _notices(request, published),
            "_embedded": {
                "version": {
                    "number": number,
                    "_links": {"self": hal.link(version_url(request, provider, number), title="Version", name=number)},
                }
            },
            "_links": links,
        }
        return Response(body)  # 200, as PactFlow answers


class ProviderContractResource(BrokerAPIView):
    """`PUT/GET/DELETE /contracts/provider/{provider}/version/{version}`: the older publication API, and
    the current contract of a provider version."""

    produces = HAL_OR_JSON

    required_permissions = {"PUT": Perm.CONTRACT_DATA_MANAGE, "DELETE": Perm.CONTRACT_DATA_MANAGE}

    def put(self, request, provider, version):
        contract_data_authorize(request.user, changing=[provider])
        params = legacy_params_parse(json_body(request))
        published = provider_contract_publish(
            provider_name=provider, version_number=version, contract=params["contract"]
        )
        body = provider_contract_body(request, published.publication)
        body["notices"] = _notices(request, published)
        return Response(
            body,
            status=status.HTTP_201_CREATED,
            headers={"Location": provider_contract_url(request, provider, version)},
        )

    def get(self, request, provider, version):
        publication = queries.publication_current(provider, version)
        if publication is None:
            raise NotFound()
        return Response(provider_contract_body(request, publication))

    def delete(self, request, provider, version):
        contract_data_authorize(request.user, changing=[provider], create=False)
        provider_contract_delete(provider_name=provider, version_number=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProviderContractPartResource(BrokerAPIView):
    """PactFlow's read API: `/contracts/bi-directional/provider/{p}/version/{v}/provider-contract` and
    `.../provider-contract-verification-results` (the self-verification)."""

    produces = HAL_OR_JSON

    part = "provider-contract"

    def get(self, request, provider, version):
        publication = queries.publication_current(provider, version)
        if publication is None:
            raise NotFound()
        body = provider_contract_body(request, publication)
        if self.part == "provider-contract-verification-results":
            body = {
                **body["selfVerificationResults"],
                "_links": {
                    "self": hal.link(self_url(request), title="Provider contract self-verification results"),
                    "pf:provider-contract": body["_links"]["self"],
                },
            }
        return Response(body)


class ProviderContractsResource(BrokerAPIView):
    """`GET /provider-contracts/provider/{provider}`: the current contract of each provider version."""

    produces = HAL_OR_JSON

    def get(self, request, provider):
        rows = queries.publications_current_for_provider(provider)
        items, paging = paginate(request, rows, page_request(request))
        body = {
            "_embedded": {"providerContracts": [provider_contract_body(request, p, with_content=False) for p in items]},
            "_links": {
                "self": hal.link(self_url(request), title=f"Provider contracts of {provider}"),
                "pb:pacticipant": hal.link(pacticipant_url(request, provider), title="Pacticipant", name=provider),
            },
        }
        if paging:
            body["page"] = paging["page"]
            body["_links"].update(paging["links"])
        return Response(body)


class CrossContractResultsResource(BrokerAPIView):
    """`GET /contracts/provider/{p}/version/{pv}/consumer/{c}/pact-version/{sha}/verification-results`."""

    produces = HAL_OR_JSON

    def get(self, request, provider, version, consumer, sha):
        found = queries.comparison_verification_find(
            provider_name=provider, provider_version_number=version, consumer_name=consumer, pact_version_sha=sha
        )
        if found is None:
            raise NotFound()
        return Response(cross_contract_results_body(request, found))
