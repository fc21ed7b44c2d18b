"""Previous distinct pact and text diffs between pact contents.

A diff is bounded by `PACT_CONTENT_DIFF_TIMEOUT` seconds (the broker's `pact_content_diff_timeout`):
past it the computation is abandoned (apps.core.deadline) and the endpoint answers 408.
"""

from django.conf import settings
from django.http import HttpResponse
from rest_framework.response import Response

from apps.contracts import queries
from apps.contracts.hal.pacts import pact_body, pact_name, row_names
from apps.contracts.services.content import content_diff
from apps.core.deadline import DeadlineExceeded, call_with_deadline
from apps.core.errors import NotFound
from apps.core.views import BrokerAPIView


def _found(row):
    if row is None:
        raise NotFound()
    return row


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain;charset=utf-8")


class DiffTimedOut(Exception):
    pass


def _content_diff(older, newer) -> str:
    seconds = settings.PACT_CONTENT_DIFF_TIMEOUT
    try:
        return call_with_deadline(
            content_diff,
            older.pact_version.content,
            newer.pact_version.content,
            seconds=seconds,
            name="pact-content-diff",
        )
    except DeadlineExceeded:
        raise DiffTimedOut(seconds) from None


def _diff_text(older, newer) -> str:
    consumer, provider, old_number, _ = row_names(older)
    new_number = newer.consumer_version.number
    header = f"# Diff between versions {old_number} and {new_number} of the pact between {consumer} and {provider}\n\n"
    body = _content_diff(older, newer)
    return header + (body or "No differences in the content that affects verification results.\n")


class DiffResource(BrokerAPIView):
    """The diff endpoints: 408 (text/plain) when the diff takes longer than the configured timeout."""

    produces = ("text/plain",)  # text only: HAL asked for is a 406, as the broker

    def handle_exception(self, exc):
        if isinstance(exc, DiffTimedOut):
            seconds = exc.args[0]
            return _text(
                f"The diff did not finish within {seconds:g} seconds (pact_content_diff_timeout) and was abandoned.\n",
                status=408,
            )
        return super().handle_exception(exc)


class PreviousDistinctResource(BrokerAPIView):
    def get(self, request, provider, consumer, version):
        current = _found(queries.pact_for_version(consumer, provider, version))
        return Response(pact_body(request, _found(queries.pact_previous_distinct(current))))


class DiffPreviousDistinctResource(DiffResource):
    def get(self, request, provider, consumer, version):
        current = _found(queries.pact_for_version(consumer, provider, version))
        previous = queries.pact_previous_distinct(current)
        if previous is None:
            return _text(f"No previous distinct version was found for {pact_name(consumer, version, provider)}\n")
        return _text(_diff_text(previous, current))


class DiffVersionsResource(DiffResource):
    def get(self, request, provider, consumer, version, other_version):
        current = _found(queries.pact_for_version(consumer, provider, version))
        other = _found(queries.pact_for_version(consumer, provider, other_version))
        return _text(_diff_text(other, current))


class DiffPactVersionsResource(DiffResource):
    def get(self, request, provider, consumer, sha, other_sha):
        current = _found(queries.pact_for_sha(consumer, provider, sha))
        other = _found(queries.pact_for_sha(consumer, provider, other_sha))
        return _text(_diff_text(other, current))
