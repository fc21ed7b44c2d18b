"""Verification results: publish, get one, latest for a pact, latest for a consumer version."""

from django.http import HttpResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries as contract_queries
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.pact_common import json_body, self_url
from apps.contracts.metadata import metadata_decode
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.hal import hal_browser_location
from apps.core.negotiation import HAL_JSON
from apps.core.views import BrokerAPIView
from apps.verifications import queries
from apps.verifications.api.contracts import verification_params_parse
from apps.verifications.hal.verifications import verification_body, verification_url
from apps.verifications.services import verification_delete, verification_record

EXTENDED = "application/vnd.pactbrokerextended.v1+json"

ALL_VERIFICATIONS_HINT = "To see all the verifications for a pact, use the Matrix page"


def _verification_number(number: str) -> int:
    """The number in the path; `all` and anything not a whole number are 404s (`all` with the broker's hint)."""
    if number == "all":
        raise NotFound(ALL_VERIFICATIONS_HINT)
    if not (number.isascii() and number.isdigit()):
        raise NotFound()
    return int(number)


class VerificationsResource(BrokerAPIView):
    """POST `.../pact-version/{sha}[/metadata/{m}]/verification-results`."""

    required_permissions = {"POST": Perm.CONTRACT_DATA_MANAGE}

    def post(self, request, provider, consumer, sha, metadata=None):
        contract_data_authorize(request.user, changing=[provider])
        # A malformed body is a 400 before an unknown pact is a 404, as in the broker's state machine.
        params = verification_params_parse(json_body(request))
        verification = verification_record(
            consumer_name=consumer,
            provider_name=provider,
            pact_version_sha=sha,
            metadata=metadata_decode(metadata),
            **params,
        )
        location = verification_url(request, verification)
        return Response(
            verification_body(request, verification), status=status.HTTP_201_CREATED, headers={"Location": location}
        )


class VerificationResource(BrokerAPIView):
    """GET/DELETE `.../pact-version/{sha}[/metadata/{m}]/verification-results/{number}` (GET also `latest`)."""

    required_permissions = {"DELETE": Perm.CONTRACT_DATA_MANAGE}
    produces = (HAL_JSON, EXTENDED)

    def get(self, request, provider, consumer, sha, number, metadata=None):
        if number == "latest":
            pact_version = queries.pact_version_find(consumer, provider, sha)
            verification = pact_version and queries.verification_latest_for_pact_version(pact_version.pk)
        else:
            verification = queries.verification_find(consumer, provider, sha, _verification_number(number))
        if verification is None:
            raise NotFound()
        accept = request.headers.get("Accept", "")
        if EXTENDED in accept and HAL_JSON not in accept:
            # The broker has no extended form of a verification: it sends the asker to its HAL browser.
            response = HttpResponse(status=302, content_type="text/html;charset=utf-8")
            response["Location"] = hal_browser_location(request.path)
            return response
        return Response(verification_body(request, verification))

    def delete(self, request, provider, consumer, sha, number, metadata=None):
        contract_data_authorize(request.user, changing=[provider], create=False)
        if number == "latest":
            # `.../verification-results/latest` is the broker's read-only latest-verification resource.
            raise exceptions.MethodNotAllowed(request.method)
        verification_delete(
            consumer_name=consumer, provider_name=provider, pact_version_sha=sha, number=_verification_number(number)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class LatestVerificationForPactResource(BrokerAPIView):
    """`.../version/{v}/verification-results/latest`, `.../latest[/{tag}]/verification-results/latest`."""

    def get(self, request, provider, consumer, version=None, tag=None):
        if version is not None:
            pact = contract_queries.pact_for_version(consumer, provider, version)
        else:
            pact = contract_queries.pact_latest(consumer, provider, tag=tag)
        verification = pact and queries.verification_latest_for_pact_version(pact.pact_version_id)
        if verification is None:
            raise NotFound()
        return Response(verification_body(request, verification))


class LatestVerificationsForConsumerVersionResource(BrokerAPIView):
    """`/verification-results/consumer/{c}/version/{v}/latest`: one result per provider."""

    def get(self, request, consumer, version):
        pacts = contract_queries.pacts_for_consumer_version(consumer, version)
        if not pacts:
            raise NotFound()
        latest = queries.verifications_latest_for_pact_versions([p.pact_version_id for p in pacts])
        verifications, successful, failed, unknown = [], [], [], []
        for pact in pacts:
            verification = latest.get(pact.pact_version_id)
            if verification is None:
                unknown.append(pact.provider.name)
                continue
            verifications.append(verification_body(request, verification, publication=pact))
            (successful if verification.success else failed).append(pact.provider.name)
        return Response(
            {
                "success": bool(verifications) and not failed and not unknown,
                "providerSummary": {"successful": successful, "failed": failed, "unknown": unknown},
                "_embedded": {"verificationResults": verifications},
                "_links": {
                    "self": hal.link(
                        self_url(request),
                        title=f"Latest verification results for consumer {consumer} version {version}",
                    )
                },
            }
        )
