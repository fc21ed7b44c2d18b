"""`/integrations` (list, filter, paginate, Graphviz DOT; delete all), one integration's delete, and the
broker's network CSVs (`/relationships`, `/groups/{pacticipant}`)."""

import csv
import io
import re

from django.db.models import F, Q
from django.http import HttpResponse
from rest_framework import status
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.accounts.queries import team_by_uuid
from apps.contracts import queries
from apps.contracts.access import all_contract_data_authorize, contract_data_authorize
from apps.contracts.api.common import pacticipant_not_found_message
from apps.contracts.api.pact_common import self_url
from apps.contracts.models import Integration
from apps.contracts.services.integrations import integration_delete, integrations_delete_all
from apps.core import hal
from apps.core.errors import NotFound
from apps.core.negotiation import HAL_JSON
from apps.core.pagination import page_request, paginate
from apps.core.views import BrokerAPIView


def _dot_name(name: str) -> str:
    return re.sub(r"\s+", "_", name)


class IntegrationsResource(BrokerAPIView):
    produces = ("text/vnd.graphviz", HAL_JSON)
    required_permissions = {"DELETE": Perm.CONTRACT_DATA_BULK_DELETE}

    def _rows(self, request):
        return Integration.objects.all()

    def get(self, request, **kwargs):
        rows = self._rows(request, **kwargs).order_by(
            F("contract_data_updated_at").desc(nulls_last=True), "consumer__name", "provider__name"
        )
        q = request.query_params.get("q")
        if q:
            rows = rows.filter(Q(consumer__name__icontains=q) | Q(provider__name__icontains=q))
        rows, paging = paginate(request, rows.values_list("consumer__name", "provider__name"), page_request(request))
        accept = request.META.get("HTTP_ACCEPT", "")
        # Quirk kept from the broker: DOT is listed first, so a request without a specific Accept
        # (or with */*) gets the Graphviz file; clients asking for (hal+)json get HAL.
        if "text/vnd.graphviz" in accept or "json" not in accept:
            lines = [f"  {_dot_name(consumer)} -> {_dot_name(provider)}" for consumer, provider in rows]
            body = (
                "digraph { ranksep=3; ratio=auto; overlap=false; node [  shape = plaintext, fontname = "
                "Helvetica ];\n" + "".join(line + "\n" for line in lines) + "}\n"
            )
            return HttpResponse(body, content_type="text/vnd.graphviz;charset=utf-8")
        body = {
            "_embedded": {"integrations": [self._integration(request, *names) for names in rows]},
            "_links": {"self": hal.link(self_url(request), title="All integrations")},
        }
        if paging is not None:
            body["page"] = paging["page"]
            body["_links"].update(paging["links"])
        return Response(body)

    @staticmethod
    def _integration(request, consumer: str, provider: str) -> dict:
        return {
            "consumer": {"name": consumer},
            "provider": {"name": provider},
            "_links": {
                "pb:dashboard": hal.link(
                    hal.url(request, "dashboard", "provider", provider, "consumer", consumer),
                    title="BETA: Pacts to show on the dashboard",
                ),
                # A path without the base URL, as the broker writes it (clients resolve it against
                # the request's URL).
                "pb:matrix": hal.link(
                    hal.url("", "matrix", "provider", provider, "consumer", consumer),
                    title=f"Matrix of pacts/verification results for {consumer} and {provider}",
                ),
                # The broker's "group" of an integration is its consumer's resource.
                "pb:group": hal.link(hal.url(request, "pacticipants", consumer)),
                "pb:delete_integration": hal.link(
                    hal.url(request, "integrations", "provider", provider, "consumer", consumer),
                    title=f"Delete the integration between {consumer} and {provider}",
                ),
            },
        }

    def delete(self, request):
        all_contract_data_authorize(request.user)
        integrations_delete_all()
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamIntegrationsResource(IntegrationsResource):
    """`GET /integrations/team/{uuid}` (PactFlow): the integrations whose consumer or provider the
    team owns, in the shape of `/integrations`."""

    required_permissions = {}
    http_method_names = ["get", "head", "options"]

    def _rows(self, request, uuid):
        found = team_by_uuid(uuid)
        if found is None:
            raise NotFound()
        names = list(found.pacticipants.values_list("pacticipant_name", flat=True))
        return Integration.objects.filter(Q(consumer__name__in=names) | Q(provider__name__in=names))


class IntegrationResource(BrokerAPIView):
    # The broker's integration resource (DELETE only) declares no media type, so it produces
    # Webmachine's default, text/html: a HAL Accept is answered 406 and nothing is deleted.
    produces = ("text/html",)
    required_permissions = {"DELETE": Perm.CONTRACT_DATA_BULK_DELETE}

    def delete(self, request, provider, consumer):
        contract_data_authorize(request.user, changing=[consumer], action=Perm.CONTRACT_DATA_BULK_DELETE, create=False)
        consumer_row, provider_row = queries.integration_pair(consumer, provider)
        if consumer_row is None or provider_row is None:
            raise NotFound()
        integration_delete(consumer=consumer_row, provider=provider_row)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _relationships_csv(pairs) -> str:
    """The broker's relationships CSV: a row per pacticipant (id, name, 1, 1, 0, order of first
    appearance, the ids of the providers it is a consumer of), padded with zeros to one width."""
    rows: dict[int, list] = {}
    for consumer, provider in pairs:
        for pacticipant in (consumer, provider):
            if pacticipant.pk not in rows:
                rows[pacticipant.pk] = [pacticipant.pk, pacticipant.name, 1, 1, 0, len(rows) + 1]
        rows[consumer.pk].append(provider.pk)
    width = max((len(row) for row in rows.values()), default=0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows.values():
        writer.writerow(row + [0] * (width - len(row)))
    return buffer.getvalue()


class _CsvResource(BrokerAPIView):
    """Resources the broker serves only as `text/csv` (any other Accept is a bodiless 406)."""

    produces = ("text/csv",)

    def csv_response(self, request, body: str):
        return HttpResponse(body, content_type="text/csv;charset=utf-8")


class RelationshipsResource(_CsvResource):
    """`/relationships`: the latest pact of every integration, as the broker's network CSV."""

    def get(self, request):
        return self.csv_response(
            request, _relationships_csv((row.consumer, row.provider) for row in queries.latest_pacts())
        )


class GroupResource(_CsvResource):
    """`/groups/{pacticipant}`: the integrations connected (transitively) to a pacticipant, as CSV."""

    def get(self, request, pacticipant):
        found = queries.pacticipant_find(pacticipant)
        if found is None:
            raise NotFound(pacticipant_not_found_message(pacticipant))
        limit = request.query_params.get("maxPacticipants", "")
        limit = int(limit) if limit.isdigit() else None
        connected, frontier, ids = {found.pk}, {found.pk}, []
        while frontier:
            new = list(
                Integration.objects.filter(Q(consumer_id__in=frontier) | Q(provider_id__in=frontier))
                .exclude(pk__in=ids)
                .values_list("pk", "consumer_id", "provider_id")
            )
            ids.extend(pk for pk, _, _ in new)
            reached = {pid for _, consumer, provider in new for pid in (consumer, provider)}
            frontier = reached - connected
            connected |= reached
            if limit is not None and len(connected) >= limit:
                break
        integrations = Integration.objects.filter(pk__in=ids).select_related("consumer", "provider").order_by("pk")
        return self.csv_response(request, _relationships_csv((i.consumer, i.provider) for i in integrations))
