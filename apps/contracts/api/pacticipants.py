"""Pacticipants: `/pacticipants`, `/pacticipants/{name}`, `/pacticipants/label/{label}`."""

from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import hooks, queries, services
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.common import (
    JSON,
    MERGE_PATCH,
    json_body,
    media_type,
    pacticipant_not_found_message,
    pacticipant_or_404,
)
from apps.contracts.api.contracts import pacticipant_attributes
from apps.contracts.api.pact_common import EMPTY_JSON_ERROR
from apps.contracts.hal.pacticipants import pacticipant_body, pacticipants_collection_body
from apps.contracts.hal.urls import pacticipant_url
from apps.core.errors import BodyParseError, NotFound
from apps.core.hal import url
from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView

MANAGE = {
    "POST": Perm.CONTRACT_DATA_MANAGE,
    "PUT": Perm.CONTRACT_DATA_MANAGE,
    "PATCH": Perm.CONTRACT_DATA_MANAGE,
    "DELETE": Perm.CONTRACT_DATA_BULK_DELETE,
}


def _detailed_body(request, pacticipant) -> dict:
    return pacticipant_body(request, queries.pacticipants_details_attach([pacticipant])[0])


def _resource_body(request, pacticipant, *, attach: bool = True) -> dict:
    """The pacticipant resource's own body: as in lists, plus the links other apps add
    (`pb:deployed-environments`), which the broker renders only here."""
    body = _detailed_body(request, pacticipant) if attach else pacticipant_body(request, pacticipant)
    body["_links"].update(hooks.pacticipant_links(request, pacticipant))
    return body


class PacticipantsView(BrokerAPIView):
    required_permissions = MANAGE

    def get(self, request):
        page = page_request(request)
        rows = queries.pacticipants_list(query=request.query_params.get("q"))
        pacticipants, page_body = paginate(request, rows, page)
        queries.pacticipants_details_attach(pacticipants)
        return Response(pacticipants_collection_body(request, pacticipants, page_body=page_body))

    def post(self, request):
        if media_type(request) == JSON and not request.body.strip():
            raise BodyParseError(EMPTY_JSON_ERROR)
        body = json_body(request)
        attributes = pacticipant_attributes(body, creating=True)
        contract_data_authorize(request.user, changing=[body["name"]])
        pacticipant = services.pacticipant_create(name=body["name"], attributes=attributes)
        # "pacticpants" (sic): the broker's Location header has this typo and its tests pin it.
        location = url(request, "pacticpants", pacticipant.name)
        return Response(
            _detailed_body(request, pacticipant), status=status.HTTP_201_CREATED, headers={"Location": location}
        )


class PacticipantView(BrokerAPIView):
    required_permissions = MANAGE

    def get(self, request, pacticipant_name):
        pacticipant = queries.pacticipant_detailed(pacticipant_name)
        if pacticipant is None:
            raise NotFound(pacticipant_not_found_message(pacticipant_name))
        return Response(_resource_body(request, pacticipant, attach=False))

    def put(self, request, pacticipant_name):
        contract_data_authorize(request.user, changing=[pacticipant_name], create=False)
        # PUT is a full replacement and accepts only application/json (merge-patch => 415).
        body = json_body(request, accepted=(JSON,))
        pacticipant = pacticipant_or_404(pacticipant_name, named=True)
        attributes = pacticipant_attributes(body)
        services.pacticipant_update(pacticipant=pacticipant, attributes=attributes, replace=True)
        return Response(_resource_body(request, pacticipant))

    def patch(self, request, pacticipant_name):
        contract_data_authorize(request.user, changing=[pacticipant_name])
        body = json_body(request, accepted=(JSON, MERGE_PATCH))
        attributes = pacticipant_attributes(body)
        pacticipant = queries.pacticipant_find(pacticipant_name)
        if pacticipant is not None:
            services.pacticipant_update(pacticipant=pacticipant, attributes=attributes, replace=False)
            return Response(_resource_body(request, pacticipant))
        # Legacy broker behaviour kept: PATCH of a missing pacticipant creates it.
        pacticipant = services.pacticipant_create(name=pacticipant_name, attributes=attributes)
        return Response(
            _resource_body(request, pacticipant),
            status=status.HTTP_201_CREATED,
            headers={"Location": pacticipant_url(request, pacticipant.name)},
        )

    def delete(self, request, pacticipant_name):
        contract_data_authorize(
            request.user, changing=[pacticipant_name], action=Perm.CONTRACT_DATA_BULK_DELETE, create=False
        )
        services.pacticipant_delete(pacticipant=pacticipant_or_404(pacticipant_name, named=True))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PacticipantsForLabelView(BrokerAPIView):
    def get(self, request, label_name):
        page = page_request(request)
        rows = queries.pacticipants_list(query=request.query_params.get("q"), label=label_name)
        pacticipants, page_body = paginate(request, rows, page)
        queries.pacticipants_details_attach(pacticipants)
        return Response(
            pacticipants_collection_body(request, pacticipants, page_body=page_body, with_deprecated_copy=False)
        )
