"""A pact: by consumer version (GET/PUT/PATCH/DELETE), latest, latest for tag/branch, untagged, by SHA."""

from django.http import HttpResponse
from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.pact_common import after_delete_links, json_body
from apps.contracts.api.pact_html import BrowserPactMixin, pact_html, wants_html
from apps.contracts.duplicate_names import duplicate_pacticipant_messages
from apps.contracts.hal.pacts import pact_body, pact_extended_body
from apps.contracts.metadata import consumer_version_ids, metadata_decode
from apps.contracts.models import Version
from apps.contracts.semver import version_number_error
from apps.contracts.services import content as pact_content
from apps.contracts.services.pacts import pact_delete, pact_publish
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.negotiation import HAL_JSON
from apps.core.views import BrokerAPIView

# A pact is served as HAL, plain JSON, a page for people and the broker's extended JSON.
EXTENDED = "application/vnd.pactbrokerextended.v1+json"
PACT_PRODUCES = (HAL_JSON, "application/json", "text/html", EXTENDED)


def _pact_response(request, row, **links) -> Response:
    """The pact as HAL (or plain JSON), or the broker's extended form when that is what is asked for."""
    accept = request.headers.get("Accept", "")
    if EXTENDED in accept and "json" not in accept.replace(EXTENDED, ""):
        return Response(pact_extended_body(request, row, **links), content_type=f"{EXTENDED};charset=utf-8")
    return Response(pact_body(request, row, **links))


def _found(row):
    if row is None:
        raise NotFound()
    return row


def _fails_validation(doc, consumer: str, provider: str, version: str) -> bool:
    """Whether `pact_publish` will refuse the request with 400: the broker validates before its
    conflict checks, so a bad request stays a 400 even when a name is a near-duplicate."""
    if not version.strip() or version_number_error(version):
        return True
    return any(
        pact_content.pacticipant_name_in(doc, role) not in (None, expected)
        for role, expected in (("consumer", consumer), ("provider", provider))
    )


class PactResource(BrowserPactMixin, BrokerAPIView):
    """`/pacts/provider/{p}/consumer/{c}/version/{v}` and its deprecated aliases (browsers: the contract page)."""

    produces = PACT_PRODUCES

    required_permissions = {
        "PUT": Perm.CONTRACT_DATA_MANAGE,
        "PATCH": Perm.CONTRACT_DATA_MANAGE,
        "DELETE": Perm.CONTRACT_DATA_MANAGE,
    }

    def get(self, request, provider, consumer, version):
        row = _found(queries.pact_for_version(consumer, provider, version))
        if wants_html(request):
            return pact_html(request, row)
        return _pact_response(request, row)

    def put(self, request, provider, consumer, version):
        contract_data_authorize(request.user, changing=[consumer], mentioning=[provider])
        return self._publish(request, provider, consumer, version, merge=False)

    def patch(self, request, provider, consumer, version):
        contract_data_authorize(request.user, changing=[consumer], mentioning=[provider])
        return self._publish(request, provider, consumer, version, merge=True)

    def _publish(self, request, provider, consumer, version, *, merge):
        doc = json_body(request)
        duplicates = duplicate_pacticipant_messages([consumer, provider], hal.base_url(request))
        if duplicates and not _fails_validation(doc, consumer, provider, version):
            # The broker's answer: text/plain instructions, one block per new name; nothing written.
            return HttpResponse("\n".join(duplicates), status=status.HTTP_409_CONFLICT, content_type="text/plain")
        result = pact_publish(
            consumer_name=consumer, provider_name=provider, consumer_version_number=version, doc=doc, merge=merge
        )
        row = queries.pact_for_version(consumer, provider, version)
        # 201 without a Location header for a new pact, 200 otherwise (the broker's answers).
        return Response(pact_body(request, row), status=status.HTTP_201_CREATED if result.created else 200)

    def delete(self, request, provider, consumer, version):
        contract_data_authorize(request.user, changing=[consumer], create=False)
        pact_delete(consumer_name=consumer, provider_name=provider, consumer_version_number=version)
        return Response(after_delete_links(request, consumer, provider))


class LatestPactResource(BrowserPactMixin, BrokerAPIView):
    """`/latest`, `/latest/{tag}`, `/latest-untagged`, `/branch/{branch}/latest`."""

    produces = PACT_PRODUCES

    untagged = False

    def get(self, request, provider, consumer, tag=None, branch=None):
        row = _found(queries.pact_latest(consumer, provider, tag=tag, branch=branch, untagged=self.untagged))
        if wants_html(request):
            return pact_html(request, row)
        # The verification-results link carries the consumer version it was fetched for (and the tag),
        # so results and webhooks go back to the right consumer version.
        # `/latest-untagged` names its pseudo tag "untagged", as the broker.
        tags = [tag] if tag else ["untagged"] if self.untagged else None
        metadata = {"cvt": tags, "cv": row.consumer_version_id} if tags else {"cv": row.consumer_version_id}
        response = _pact_response(request, row, metadata=metadata)
        response["X-Pact-Consumer-Version"] = row.consumer_version.number
        return response


class PactVersionResource(BrowserPactMixin, BrokerAPIView):
    """`/pact-version/{sha}[/metadata/{m}]`: the content permalink."""

    produces = PACT_PRODUCES

    def get(self, request, provider, consumer, sha, metadata=None):
        decoded = metadata_decode(metadata)
        ids = consumer_version_ids(decoded)
        named_versions = []
        if ids:
            named_versions = list(Version.objects.filter(pk__in=ids, pacticipant__name=consumer).order_by("order"))
        number = decoded.get("cvn") or (named_versions[-1].number if named_versions else None)
        row = _found(queries.pact_for_sha(consumer, provider, sha, consumer_version_number=number))
        if wants_html(request):
            return pact_html(request, row)
        consumer_versions = named_versions if len(named_versions) > 1 else None
        return _pact_response(request, row, metadata=decoded or None, consumer_versions=consumer_versions)
