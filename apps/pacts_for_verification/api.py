"""POST (and deprecated GET) /pacts/provider/{provider}/for-verification — `pb:provider-pacts-for-verification`."""
from rest_framework.response import Response

from apps.accounts.permissions import Perm
from apps.contracts.hal.urls import pact_version_url
from apps.contracts.queries import pacticipant_find
from apps.core import hal
from apps.core.errors import NotFound, ValidationFailed
from apps.core.rack import QueryParseError
from apps.core.views import BrokerAPIView
from apps.pacts_for_verification import environments
from apps.pacts_for_verification.messages import VerifiablePactMessages, notices
from apps.pacts_for_verification.metadata import metadata_for_verifiable_pact
from apps.pacts_for_verification.queries import VerifiablePact, verifiable_pacts
from apps.pacts_for_verification.selectors import Invalid, Query, query_from_json, query_from_query_string


def _pact_version_url(request, pact: VerifiablePact, metadata: dict | None = None) -> str:
    return pact_version_url(request, pact.consumer_name, pact.provider_name, pact.sha, metadata)


def _selector_metadata(pact: VerifiablePact) -> list[dict]:
    return [
        {"b": s.resolved_branch if s.selector.branch is True else (
            s.selector.branch or (s.resolved_branch if s.selector.main_branch else None)),
         "t": s.selector.tag, "l": s.selector.latest,
         "e": s.environment.environment_name if s.environment else None, "cv": s.consumer_version_id}
        for s in pact.selectors
    ]


def render_verifiable_pact(request, pact: VerifiablePact, query: Query) -> dict:
    metadata = metadata_for_verifiable_pact(wip=pact.wip, selectors=_selector_metadata(pact), pending=pact.pending)
    # The notices quote the pact-version URL; the broker adds metadata there only for WIP pacts.
    notice_url = _pact_version_url(request, pact, {"wip": True} if pact.wip else None)
    properties = {}
    if query.include_pending_status:
        properties["pending"] = pact.pending
    if pact.wip:
        properties["wip"] = True
    properties["notices"] = notices(pact, notice_url, include_pending_status=query.include_pending_status,
                                    deprecated_get=query.deprecated_get)
    return {
        "shortDescription": VerifiablePactMessages(pact, None).short_description(),
        "verificationProperties": properties,
        "_links": {"self": hal.link(_pact_version_url(request, pact, metadata), name=pact.name)},
    }


class ProviderPactsForVerificationView(BrokerAPIView):
    # Asking which pacts to verify changes nothing: a read, whatever the method.
    required_permissions = {"GET": Perm.READ, "POST": Perm.READ}

    def get(self, request, provider_name: str):
        return self._respond(request, provider_name, lambda: query_from_query_string(request.META.get(
            "QUERY_STRING", "")))

    def post(self, request, provider_name: str):
        return self._respond(request, provider_name, lambda: query_from_json(
            request.data, environments.environment_names_existing))

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
        return Response({
            "_embedded": {"pacts": [render_verifiable_pact(request, pact, query) for pact in pacts]},
            "_links": {"self": hal.link(hal.url(request, "pacts", "provider", provider.name, "for-verification"),
                                        title="Pacts to be verified")},
        })
