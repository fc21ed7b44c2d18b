"""Labels: `/pacticipants/{name}/labels/{label}` and `/labels`."""

from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts import queries, services
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.common import json_body, pacticipant_or_404
from apps.contracts.hal.pacticipants import label_body, labels_collection_body
from apps.contracts.hal.urls import label_url
from apps.core.errors import NotFound
from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView


class LabelView(BrokerAPIView):
    required_permissions = {"PUT": Perm.CONTRACT_DATA_MANAGE, "DELETE": Perm.CONTRACT_DATA_MANAGE}

    def _label_or_404(self, pacticipant_name, label_name):
        label = queries.label_find(pacticipant_or_404(pacticipant_name), label_name)
        if label is None:
            raise NotFound()
        return label

    def get(self, request, pacticipant_name, label_name):
        return Response(label_body(request, self._label_or_404(pacticipant_name, label_name)))

    def put(self, request, pacticipant_name, label_name):
        contract_data_authorize(request.user, changing=[pacticipant_name])
        json_body(request)  # the broker wants a JSON content type even for this empty body
        label, created = services.label_add(pacticipant_name=pacticipant_name, name=label_name)
        if not created:
            return Response(label_body(request, label))
        return Response(
            label_body(request, label),
            status=status.HTTP_201_CREATED,
            headers={"Location": label_url(request, pacticipant_name, label_name)},
        )

    def delete(self, request, pacticipant_name, label_name):
        contract_data_authorize(request.user, changing=[pacticipant_name], create=False)
        services.label_remove(label=self._label_or_404(pacticipant_name, label_name))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LabelsView(BrokerAPIView):
    def get(self, request):
        names, page_body = paginate(request, queries.label_names(), page_request(request))
        return Response(labels_collection_body(request, names, page_body=page_body))
