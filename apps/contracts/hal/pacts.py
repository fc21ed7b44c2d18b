"""Pact bodies exactly as the broker builds them (rel names and titles are part of the API)."""

import json
from urllib.parse import quote_plus

from apps.contracts.hal.urls import pact_url, pact_version_url, pacticipant_url, version_url
from apps.core import hal


def pact_name(consumer: str, version: str, provider: str) -> str:
    return f"Pact between {consumer} ({version}) and {provider}"


def integration_url(request, consumer: str, provider: str, *more) -> str:
    return hal.url(request, "pacts", "provider", provider, "consumer", consumer, *more)


def matrix_for_version_url(request, name: str, number: str) -> str:
    # Rack's nested query, brackets percent-encoded, as the broker builds it
    query = f"q%5B%5D%5Bpacticipant%5D={quote_plus(name)}&q%5B%5D%5Bversion%5D={quote_plus(number)}&latestby=cvpv"
    return f"{hal.url(request, 'matrix')}?{query}"


def row_names(row) -> tuple[str, str, str, str]:
    """(consumer, provider, consumer version number, sha) of a LatestPactPublication row."""
    return row.consumer.name, row.provider.name, row.consumer_version.number, row.pact_version.sha


def pact_links(request, row, *, metadata: dict | None = None, consumer_versions=None) -> dict:
    consumer, provider, number, sha = row_names(row)
    self_url = pact_url(request, provider, consumer, number)
    tags_url = version_url(request, consumer, number) + "/tags"
    links = {
        "self": hal.link(self_url, title="Pact", name=pact_name(consumer, number, provider)),
        "pb:consumer": hal.link(pacticipant_url(request, consumer), title="Consumer", name=consumer),
        "pb:consumer-version": hal.link(version_url(request, consumer, number), title="Consumer version", name=number),
    }
    if consumer_versions:
        links["pb:consumer-versions"] = [
            hal.link(version_url(request, consumer, v.number), title="Consumer version", name=v.number)
            for v in consumer_versions
        ]
    links.update(
        {
            "pb:provider": hal.link(pacticipant_url(request, provider), title="Provider", name=provider),
            "pb:pact-version": hal.link(
                pact_version_url(request, consumer, provider, sha), title="Pact content version permalink", name=sha
            ),
            "pb:latest-pact-version": hal.link(
                integration_url(request, consumer, provider, "latest"), title="Latest version of this pact"
            ),
            "pb:all-pact-versions": hal.link(
                integration_url(request, consumer, provider, "versions"), title="All versions of this pact"
            ),
            "pb:latest-untagged-pact-version": hal.link(
                integration_url(request, consumer, provider, "latest-untagged"),
                title="Latest untagged version of this pact",
            ),
            "pb:latest-tagged-pact-version": hal.link(
                integration_url(request, consumer, provider, "latest") + "/{tag}",
                title="Latest tagged version of this pact",
                templated=True,
            ),
            "pb:previous-distinct": hal.link(
                self_url + "/previous-distinct", title="Previous distinct version of this pact"
            ),
            "pb:diff-previous-distinct": hal.link(
                self_url + "/diff/previous-distinct", title="Diff with previous distinct version of this pact"
            ),
            "pb:diff": hal.link(
                pact_version_url(request, consumer, provider, sha) + "/diff/pact-version/{pactVersion}",
                title="Diff with another specified version of this pact",
                templated=True,
            ),
            "pb:pact-webhooks": hal.link(
                hal.url(request, "webhooks", "provider", provider, "consumer", consumer),
                title=f"Webhooks for the pact between {consumer} and {provider}",
            ),
            # Quirk kept from the broker: `pb:consumer-webhooks` is defined twice there, the second
            # definition (the provider's, still under /webhooks/consumer/) wins.
            "pb:consumer-webhooks": hal.link(
                hal.url(request, "webhooks", "consumer", provider),
                title=f"Webhooks for all pacts with provider {provider}",
            ),
            "pb:tag-prod-version": hal.link(
                tags_url + "/prod", title="PUT to this resource to tag this consumer version as 'production'"
            ),
            "pb:tag-version": hal.link(tags_url + "/{tag}", title="PUT to this resource to tag this consumer version"),
            "pb:publish-verification-results": hal.link(
                pact_version_url(request, consumer, provider, sha, metadata) + "/verification-results",
                title="Publish verification results",
            ),
            "pb:latest-verification-results": hal.link(
                pact_version_url(request, consumer, provider, sha) + "/verification-results/latest"
            ),
            "pb:triggered-webhooks": hal.link(
                self_url + "/triggered-webhooks", title="Webhooks triggered by the publication of this pact"
            ),
            "pb:matrix-for-consumer-version": hal.link(
                matrix_for_version_url(request, consumer, number),
                title="View matrix rows for the consumer version to which this pact belongs",
            ),
            "curies": [{"name": "pb", "href": hal.url(request) + "/doc/{rel}?context=pact", "templated": True}],
        }
    )
    return links


def pact_body(request, row, *, metadata: dict | None = None, consumer_versions=None):
    """The stored pact with `createdAt` and `_links` merged in (non-object JSON is served as is)."""
    content = json.loads(row.pact_version.content)
    if not isinstance(content, dict):
        return content
    return {
        **content,
        "createdAt": hal.timestamp(row.pact_publication.created_at),
        "_links": pact_links(request, row, metadata=metadata, consumer_versions=consumer_versions),
    }


def pact_extended_body(request, row, *, metadata: dict | None = None, consumer_versions=None):
    """The broker's extended pact (`application/vnd.pactbrokerextended.v1+json`): the content under
    `contract` and the pact's links. Its embedded `tags` (the pact's "head" tags) are empty even for a
    tagged consumer version: the broker's pact lookup does not load them (recorded answer), so here too."""
    return {
        "createdAt": hal.timestamp(row.pact_publication.created_at),
        "contract": json.loads(row.pact_version.content),
        "_embedded": {"tags": []},
        "_links": pact_links(request, row, metadata=metadata, consumer_versions=consumer_versions),
    }


def pact_summary(request, row) -> dict:
    """A pact in a list: `{createdAt, _embedded.consumerVersion, _links.self}`."""
    consumer, provider, number, _ = row_names(row)
    return {
        "createdAt": hal.timestamp(row.pact_publication.created_at),
        "_embedded": {
            "consumerVersion": {
                "number": number,
                "_links": {"self": hal.link(version_url(request, consumer, number), title="Version", name=number)},
            }
        },
        "_links": {
            "self": hal.link(pact_url(request, provider, consumer, number), title=pact_name(consumer, number, provider))
        },
    }


def pact_list_link(request, row) -> dict:
    consumer, provider, number, _ = row_names(row)
    return hal.link(
        pact_url(request, provider, consumer, number), title=pact_name(consumer, number, provider), name=consumer
    )
