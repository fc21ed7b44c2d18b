"""The contract view (a pact for people, its history, diff, raw JSON and
the verification results of its content)."""

from django.http import Http404
from django.shortcuts import render

from apps.accounts.permissions import Perm, require_permission
from apps.ui import queries
from apps.ui.pact_document import pact_diff as diff_lines
from apps.ui.pact_document import pact_document
from apps.ui.verification_results import verification_cases


def _integration(provider, consumer):
    integration = queries.integration_find(provider, consumer)
    if integration is None:
        raise Http404("No such integration")
    return integration


@require_permission(Perm.CONTRACT_DATA_READ)
def pact(request, provider, consumer, version=None):
    integration = _integration(provider, consumer)
    found = queries.pact_find(integration, version)
    if found is None:
        raise Http404("No pact for this consumer version")
    history = queries.pact_history(integration)
    previous = next(
        (
            row.pact
            for row in history
            if row.pact.consumer_version_order < found.consumer_version_order
            and row.pact.pact_version_id != found.pact_version_id
        ),
        None,
    )
    document = pact_document(found.pact_version.content)
    verifications = queries.verifications_of(found)
    for row in verifications:
        row.cases = verification_cases(row.verification.test_results, found.pact_version.content)
    # Each interaction with its outcome in the latest verification (by description).
    latest = {case.description: case for case in (verifications[0].cases if verifications else [])}
    for interaction in document.interactions:
        interaction.outcome = latest.get(interaction.description)
    return render(
        request,
        "ui/pact.html",
        {
            "integration": integration,
            "pact": found,
            "document": document,
            "history": history,
            "previous": previous,
            "verifications": verifications,
        },
    )


@require_permission(Perm.CONTRACT_DATA_READ)
def pact_diff(request, provider, consumer):
    """?from=<older consumer version>&to=<newer consumer version> (default: the latest pact)."""
    integration = _integration(provider, consumer)
    history = queries.pact_history(integration)
    numbers = [row.pact.consumer_version.number for row in history]
    to_number = request.GET.get("to") or (numbers[0] if numbers else None)
    from_number = request.GET.get("from")
    pacts = queries.pacts_find(integration, [n for n in (from_number, to_number) if n])
    newer, older = pacts.get(to_number), pacts.get(from_number)
    error = None
    if newer is None or older is None:
        missing = [n for n, p in ((from_number, older), (to_number, newer)) if p is None]
        error = (
            "Pick two consumer versions to compare."
            if not from_number
            else f"No pact for consumer version {', '.join(m or '(none)' for m in missing)}."
        )
    lines = []
    if error is None:
        lines = diff_lines(
            older.pact_version.content,
            newer.pact_version.content,
            older_name=f"{consumer} {from_number}",
            newer_name=f"{consumer} {to_number}",
        )
    return render(
        request,
        "ui/pact_diff.html",
        {
            "integration": integration,
            "numbers": numbers,
            "from_number": from_number,
            "to_number": to_number,
            "lines": lines,
            "error": error,
            "identical": error is None and not lines,
        },
        status=200 if error is None or not from_number else 404,
    )
