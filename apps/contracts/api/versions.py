"""Versions: `/pacticipants/{name}/versions[/{number}]`, `/latest-version[/{tag}]`."""

from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries, services
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.common import JSON, MERGE_PATCH, json_body, pacticipant_or_404
from apps.contracts.api.contracts import version_input
from apps.contracts.hal.urls import resource_url
from apps.contracts.hal.versions import version_body, versions_collection_body
from apps.core.errors import NotFound
from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView


def version_response(request, version, *, self_href: str | None = None) -> Response:
    if version is None:
        raise NotFound()
    queries.version_details_attach([version])
    return Response(version_body(request, version, self_href=self_href or resource_url(request)))


def versions_response(request, pacticipant, rows, *, title: str | None = None, unnamed_links: bool = False) -> Response:
    versions, page_body = paginate(request, rows, page_request(request))
    queries.version_details_attach(versions)
    body = versions_collection_body(
        request, pacticipant.name, versions, title=title, page_body=page_body, unnamed_links=unnamed_links
    )
    return Response(body)


class VersionsView(BrokerAPIView):
    def get(self, request, pacticipant_name):
        pacticipant = pacticipant_or_404(pacticipant_name, named=True)
        return versions_response(request, pacticipant, queries.versions_for_pacticipant(pacticipant))


class VersionView(BrokerAPIView):
    required_permissions = {
        "PUT": Perm.CONTRACT_DATA_MANAGE,
        "PATCH": Perm.CONTRACT_DATA_MANAGE,
        "DELETE": Perm.CONTRACT_DATA_MANAGE,
    }

    def get(self, request, pacticipant_name, version_number):
        pacticipant = pacticipant_or_404(pacticipant_name)
        return version_response(request, queries.version_find(pacticipant, version_number))

    def put(self, request, pacticipant_name, version_number):
        contract_data_authorize(request.user, changing=[pacticipant_name])
        # The broker's quirk: PUT takes only application/json, PATCH only merge-patch (415 otherwise).
        return self._write(request, pacticipant_name, version_number, accepted=JSON, replace=True)

    def patch(self, request, pacticipant_name, version_number):
        contract_data_authorize(request.user, changing=[pacticipant_name])
        return self._write(request, pacticipant_name, version_number, accepted=MERGE_PATCH, replace=False)

    def _write(self, request, pacticipant_name, version_number, *, accepted: str, replace: bool):
        body = json_body(request, accepted=(accepted,))
        version, created = services.version_create_or_update(
            pacticipant_name=pacticipant_name, number=version_number, **version_input(body, replace=replace)
        )
        response = version_response(request, version)
        if created:  # 201 without `Location`, as the broker answers
            response.status_code = status.HTTP_201_CREATED
        return response

    def delete(self, request, pacticipant_name, version_number):
        contract_data_authorize(request.user, changing=[pacticipant_name], create=False)
        version = queries.version_find(pacticipant_or_404(pacticipant_name), version_number)
        if version is None:
            raise NotFound()
        services.version_delete(version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LatestVersionView(BrokerAPIView):
    """The latest version (highest order), or the latest version carrying a tag."""

    def get(self, request, pacticipant_name, tag_name=None):
        pacticipant = pacticipant_or_404(pacticipant_name)
        if tag_name is None:
            version = queries.latest_version(pacticipant)
        else:
            version = queries.latest_version_with_tag(pacticipant, tag_name)
        return version_response(request, version)
