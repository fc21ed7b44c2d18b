"""`POST /contracts/publish`: the all-in-one publication used by current Pact CLIs."""

from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts.access import contract_data_authorize
from apps.contracts.api.contracts import contracts_parse
from apps.contracts.api.pact_common import json_body
from apps.contracts.duplicate_names import duplicate_pacticipant_messages
from apps.contracts.hal.urls import pact_url, pacticipant_url, version_url
from apps.contracts.services.contracts import contracts_publish
from apps.core import hal
from apps.core.errors import Conflict
from apps.core.views import BrokerAPIView


class PublishContractsResource(BrokerAPIView):
    required_permissions = {"POST": Perm.CONTRACT_DATA_MANAGE}

    def post(self, request):
        # An empty body is validated as `{}` (everything "is missing"), as the broker does.
        params = contracts_parse(json_body(request, required=False) or {})
        contract_data_authorize(
            request.user,
            changing=[c.consumer_name for c in params["contracts"]] + [params["pacticipant_name"]],
            mentioning=[c.provider_name for c in params["contracts"]],
        )
        names = [name for c in params["contracts"] for name in (c.consumer_name, c.provider_name)]
        duplicates = duplicate_pacticipant_messages(names, hal.base_url(request))
        if duplicates:
            # The broker's conflict body, one error notice per new near-duplicate name; nothing written.
            raise Conflict(
                {
                    "notices": [{"type": "error", "text": text} for text in duplicates],
                    "errors": {"contracts": duplicates},
                },
                content_type="application/json;charset=utf-8",
            )
        result = contracts_publish(**params, pact_url=lambda c, p, v: pact_url(request, p, c, v))
        name, number = result.pacticipant.name, result.version.number
        notices = [{"type": n.type, "text": n.text} for n in result.notices]
        body = {
            "notices": notices,
            # `logs` is the older name for the same lines; the broker still sends both.
            "logs": [
                {"level": n["type"], "message": n["text"], "deprecationWarning": "Replaced by notices"} for n in notices
            ],
            "_embedded": {
                "pacticipant": {"name": name, "_links": {"self": {"href": pacticipant_url(request, name)}}},
                "version": {
                    "number": number,
                    "_links": {"self": hal.link(version_url(request, name, number), title="Version", name=number)},
                },
            },
            "_links": {
                "pb:pacticipant": hal.link(pacticipant_url(request, name), title="Pacticipant", name=name),
                "pb:pacticipant-version": hal.link(
                    version_url(request, name, number), title="Pacticipant version", name=number
                ),
                "pb:pacticipant-version-tags": [
                    hal.link(version_url(request, name, number) + f"/tags/{hal.encode(tag)}", title="Tag", name=tag)
                    for tag in result.tags
                ],
                "pb:contracts": [
                    hal.link(
                        pact_url(request, item.provider.name, name, number),
                        title="Pact",
                        name=f"Pact between {name} ({number}) and {item.provider.name}",
                    )
                    for item in result.written
                ],
            },
        }
        # 200, not 201, as the broker answers.
        return Response(body)
