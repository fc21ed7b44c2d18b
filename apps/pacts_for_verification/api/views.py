"""POST (and deprecated GET) /pacts/provider/{provider}/for-verification — `pb:provider-pacts-for-verification`."""

from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts.queries import pacticipant_find
from apps.core import hal
from apps.core.errors import NotFound, ValidationFailed
from apps.core.rack import QueryParseError
from apps.core.views import BrokerAPIView
from apps.pacts_for_verification import environments
from apps.pacts_for_verification.api.contracts import Invalid, query_from_json, query_from_query_string
from apps.pacts_for_verification.hal.verifiable_pacts import render_verifiable_pact
from apps.pacts_for_verification.queries import verifiable_pacts


class ProviderPactsForVerificationView(BrokerAPIView):
    # Asking which pacts to verify changes nothing: a read, whatever the method.
    required_permissions = {"GET": Perm.CONTRACT_DATA_READ, "POST": Perm.CONTRACT_DATA_READ}

    def get(self, request, provider_name: str):
        return self._respond(
            request, provider_name, lambda: query_from_query_string(request.META.get("QUERY_STRING", ""))
        )

    def post(self, request, provider_name: str):
        return self._respond(
            request, provider_name, lambda: query_from_json(request.data, environments.environment_names_existing)
        )

    def _respond(self, request, provider_name, parse):
        try:
            query = parse()
        except Invalid as invalid:
            raise ValidationFailed(invalid.errors) from None
        except QueryParseError as error:  # the GET form's query string, refused as the matrix refuses it
            raise ValidationFailed([str(error)]) from None
        provider = pacticipant_find(provider_name)
        if provider is None:
            raise NotFound(f"No provider with name '{provider_name}' found")
        pacts = verifiable_pacts(provider=provider, query=query)
        return Response(
            {
                "_embedded": {"pacts": [render_verifiable_pact(request, pact, query) for pact in pacts]},
                "_links": {
                    "self": hal.link(
                        hal.url(request, "pacts", "provider", provider.name, "for-verification"),
                        title="Pacts to be verified",
                    )
                },
            }
        )
