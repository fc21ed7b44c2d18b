"""Previous distinct pact and text diffs between pact contents."""
from django.http import HttpResponse
from rest_framework.response import Response

from apps.contracts import pact_queries
from apps.contracts.api.representations import pact_body, pact_name, row_names
from apps.contracts.services.content import content_diff
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView


def _found(row):
    if row is None:
        raise NotFound()
    return row


def _text(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain;charset=utf-8")


def _diff_text(older, newer) -> str:
    consumer, provider, old_number, _ = row_names(older)
    new_number = newer.consumer_version.number
    header = (f"# Diff between versions {old_number} and {new_number} of the pact between {consumer} "
              f"and {provider}\n\n")
    body = content_diff(older.pact_version.content, newer.pact_version.content)
    return header + (body or "No differences in the content that affects verification results.\n")


class PreviousDistinctResource(BrokerAPIView):
    def get(self, request, provider, consumer, version):
        current = _found(pact_queries.pact_for_version(consumer, provider, version))
        return Response(pact_body(request, _found(pact_queries.pact_previous_distinct(current))))


class DiffPreviousDistinctResource(BrokerAPIView):
    def get(self, request, provider, consumer, version):
        current = _found(pact_queries.pact_for_version(consumer, provider, version))
        previous = pact_queries.pact_previous_distinct(current)
        if previous is None:
            return _text(f"No previous distinct version was found for {pact_name(consumer, version, provider)}\n")
        return _text(_diff_text(previous, current))


class DiffVersionsResource(BrokerAPIView):
    def get(self, request, provider, consumer, version, other_version):
        current = _found(pact_queries.pact_for_version(consumer, provider, version))
        other = _found(pact_queries.pact_for_version(consumer, provider, other_version))
        return _text(_diff_text(other, current))


class DiffPactVersionsResource(BrokerAPIView):
    def get(self, request, provider, consumer, sha, other_sha):
        current = _found(pact_queries.pact_for_sha(consumer, provider, sha))
        other = _found(pact_queries.pact_for_sha(consumer, provider, other_sha))
        return _text(_diff_text(other, current))
