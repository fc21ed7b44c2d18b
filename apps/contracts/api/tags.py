"""Tags: `/pacticipants/{name}/versions/{number}/tags/{tag}` and `/pacticipants/{name}/tags/{tag}/versions`."""

from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries, services
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.common import json_body, pacticipant_or_404
from apps.contracts.api.versions import versions_response
from apps.contracts.hal.branches import tag_body
from apps.contracts.hal.urls import tag_url
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView


class TagView(BrokerAPIView):
    required_permissions = {"PUT": Perm.CONTRACT_DATA_MANAGE, "DELETE": Perm.CONTRACT_DATA_MANAGE}

    def _tag_or_404(self, pacticipant_name, version_number, tag_name):
        tag = queries.tag_find(pacticipant_or_404(pacticipant_name), version_number, tag_name)
        if tag is None:
            raise NotFound()
        return tag

    def get(self, request, pacticipant_name, version_number, tag_name):
        return Response(tag_body(request, self._tag_or_404(pacticipant_name, version_number, tag_name)))

    def put(self, request, pacticipant_name, version_number, tag_name):
        contract_data_authorize(request.user, changing=[pacticipant_name])
        json_body(request)  # the broker wants a JSON content type even for this empty body
        tag, created = services.version_tag_create(
            pacticipant_name=pacticipant_name, number=version_number, tag_name=tag_name
        )
        if not created:
            return Response(tag_body(request, tag))
        return Response(
            tag_body(request, tag),
            status=status.HTTP_201_CREATED,
            headers={"Location": tag_url(request, pacticipant_name, version_number, tag_name)},
        )

    def delete(self, request, pacticipant_name, version_number, tag_name):
        contract_data_authorize(request.user, changing=[pacticipant_name], create=False)
        services.tag_remove(tag=self._tag_or_404(pacticipant_name, version_number, tag_name))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TagVersionsView(BrokerAPIView):
    def get(self, request, pacticipant_name, tag_name):
        pacticipant = pacticipant_or_404(pacticipant_name)
        rows = queries.versions_with_tag(pacticipant, tag_name)
        if not rows.exists():
            raise NotFound()
        return versions_response(request, pacticipant, rows, unnamed_links=True)
