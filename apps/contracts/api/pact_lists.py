"""Lists of pacts: versions of one integration (all / tag / branch), a provider's pacts and their
provider states, `/pacts/latest`."""

import json

from django.db.models import OuterRef
from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.common import pacticipant_not_found_message
from apps.contracts.api.pact_common import after_delete_links, self_url
from apps.contracts.hal.pacts import integration_url, pact_list_link, pact_summary, row_names
from apps.contracts.hal.urls import pact_url, pacticipant_url, version_url
from apps.contracts.services.pacts import pact_publications_delete
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView

MAIN_BRANCH = OuterRef("consumer__main_branch")


def _pair(consumer_name: str, provider_name: str):
    consumer, provider = queries.integration_pair(consumer_name, provider_name)
    if consumer is None:
        raise NotFound(pacticipant_not_found_message(consumer_name, "consumer"))
    if provider is None:
        raise NotFound(pacticipant_not_found_message(provider_name, "provider"))
    return consumer, provider


class PactVersionsResource(BrokerAPIView):
    """`/versions`, `/tag/{t}`, `/branch/{b}`, `/branch/versions` (main), `.../latest/versions`."""

    required_permissions = {"DELETE": Perm.CONTRACT_DATA_BULK_DELETE}
    main_branch = False
    latest_only = False
    delete_status = status.HTTP_200_OK

    def _branch(self, branch):
        return MAIN_BRANCH if self.main_branch else branch

    def get(self, request, provider, consumer, tag=None, branch=None):
        consumer_row, provider_row = _pair(consumer, provider)
        rows = queries.pact_versions(
            consumer_row, provider_row, tag=tag, branch=self._branch(branch), latest_only=self.latest_only
        )
        title = f"All versions of the pact between {consumer} and {provider}"
        # The tagged list is the broker's TaggedPactVersionsDecorator: `pb:` relation names, the tag
        # in the title, each version titled "Pact version".
        prefix, version_title = ("pb:", "Pact version") if tag is not None else ("", "Pact")
        links = {
            "self": hal.link(self_url(request), title=title if tag is None else f"{title} with tag {tag}"),
            f"{prefix}consumer": hal.link(pacticipant_url(request, consumer), title="Consumer", name=consumer),
            f"{prefix}provider": hal.link(pacticipant_url(request, provider), title="Provider", name=provider),
            f"{prefix}pact-versions": [self._version_link(request, row, version_title) for row in rows],
        }
        return Response({"_embedded": {"pacts": [pact_summary(request, row) for row in rows]}, "_links": links})

    @staticmethod
    def _version_link(request, row, title: str):
        consumer, provider, number, _ = row_names(row)
        return hal.link(
            pact_url(request, provider, consumer, number),
            title=title,
            name=f"Version {number} - {row.pact_publication.created_at:%d/%m/%Y}",
        )

    def delete(self, request, provider, consumer, tag=None, branch=None):
        contract_data_authorize(request.user, changing=[consumer], action=Perm.CONTRACT_DATA_BULK_DELETE, create=False)
        consumer_row, provider_row = _pair(consumer, provider)
        count = pact_publications_delete(
            consumer=consumer_row,
            provider=provider_row,
            tag=tag,
            branch=self._branch(branch) if (branch or self.main_branch) else None,
        )
        if self.delete_status == status.HTTP_204_NO_CONTENT:
            if not count:
                raise NotFound()
            return Response(status=status.HTTP_204_NO_CONTENT)
        # Tagged/branch deletes answer 200 with links, even when nothing matched (broker #628 kept).
        return Response(after_delete_links(request, consumer, provider))


class ProviderPactsResource(BrokerAPIView):
    """`/pacts/provider/{p}` with `/tag/{t}`, `/latest[/{t}]`, `/branch[/{b}][/latest]`."""

    latest = False
    main_branch = False

    def get(self, request, provider, tag=None, branch=None):
        provider_row = queries.pacticipant_find(provider)
        if provider_row is None:
            raise NotFound(pacticipant_not_found_message(provider, "provider"))
        rows = queries.provider_pacts(
            provider_row, tag=tag, branch=branch, main_branch=self.main_branch, latest=self.latest
        )
        title = f"{'Latest' if self.latest else 'All'} pact versions for the provider {provider}"
        if tag is not None:
            title += f" with consumer version tag '{tag}'"
        if branch is not None:
            title += f" with consumer version branch '{branch}'"
        pacts = [pact_list_link(request, row) for row in rows]
        provider_href = pacticipant_url(request, provider)
        deprecated_pacts = [
            {**link, "title": f"DEPRECATED - please use the pb:pacts relation. {link['title']}"} for link in pacts
        ]
        return Response(
            {
                "_links": {
                    "self": hal.link(self_url(request), title=title),
                    "pb:provider": {"href": provider_href, "name": provider},
                    "pb:pacts": pacts,
                    "provider": {
                        "href": provider_href,
                        "title": provider,
                        "name": "DEPRECATED - please use the pb:provider relation",
                    },
                    "pacts": deprecated_pacts,
                }
            }
        )


class LatestPactsResource(BrokerAPIView):
    """`/pacts/latest`: the latest pact of every integration."""

    def get(self, request):
        rows = queries.latest_pacts()
        pacts, links = [], []
        for row in rows:
            consumer, provider, number, _ = row_names(row)
            latest = integration_url(request, consumer, provider, "latest")
            pacts.append(
                {
                    "createdAt": hal.timestamp(row.pact_publication.created_at),
                    "_embedded": {
                        "consumer": {
                            "name": consumer,
                            "_links": {"self": {"href": pacticipant_url(request, consumer)}},
                            "_embedded": {
                                "version": {
                                    "number": number,
                                    "_links": {
                                        "self": {
                                            "href": version_url(request, consumer, number),
                                            "name": number,
                                            "title": "Version",
                                        }
                                    },
                                }
                            },
                        },
                        "provider": {
                            "name": provider,
                            "_links": {"self": {"href": pacticipant_url(request, provider)}},
                        },
                    },
                    "_links": {"self": [{"href": latest}, {"href": pact_url(request, provider, consumer, number)}]},
                }
            )
            links.append({"href": latest, "title": f"Latest pact between {consumer} and {provider}"})
        return Response(
            {
                "_links": {
                    "self": {"href": hal.url(request, "pacts", "latest")},
                    "pb:pacts": links,
                    "pacts": [{**link, "name": "DEPRECATED - please use the pb:pacts relation"} for link in links],
                    "curies": [
                        {"name": "pb", "href": hal.url(request) + "/doc/{rel}?context=pacts", "templated": True}
                    ],
                },
                "pacts": pacts,
            }
        )


def _provider_states(content: str) -> list[tuple[str, object]]:
    """(name, params) of every interaction's and message's provider states, as the broker reads
    them: `providerState` (a string, pact v2) or `providerStates` (a list of {name, params})."""
    try:
        document = json.loads(content)
    except ValueError:
        return []
    if not isinstance(document, dict):
        return []
    states = []
    for key in ("interactions", "messages"):
        items = document.get(key)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("providerState"), str):
                states.append((item["providerState"], None))
            elif isinstance(item.get("providerStates"), list):
                states.extend(
                    (state.get("name"), state.get("params"))
                    for state in item["providerStates"]
                    if isinstance(state, dict)
                )
    return states


class ProviderStatesResource(BrokerAPIView):
    """`/pacts/provider/{p}/provider-states[/branch/{b}]`: the provider states of the latest pacts of
    each consumer's main branch (or of the branch), with the consumers that use each one."""

    def get(self, request, provider, branch=None):
        provider_row = queries.pacticipant_find(provider)
        if provider_row is None:
            raise NotFound(pacticipant_not_found_message(provider, "provider"))
        if branch is None:
            rows = queries.provider_pacts(provider_row, main_branch=True, latest=True)
        else:
            rows = queries.provider_pacts(provider_row, branch=branch, latest=True)
        consumers: dict[str, list[str]] = {}
        keys: dict[str, tuple[str, object]] = {}
        for row in rows:
            consumer = row.consumer.name
            for name, params in _provider_states(row.pact_version.content):
                key = json.dumps([name, params], sort_keys=True)
                keys.setdefault(key, (name, params))
                if consumer not in consumers.setdefault(key, []):
                    consumers[key].append(consumer)
        states = []
        for key, (name, params) in keys.items():
            state = {"name": name}
            if params is not None:
                state["params"] = params
            state["consumers"] = consumers[key]
            states.append(state)
        states.sort(key=lambda state: str(state["name"]))
        return Response({"providerStates": states})
