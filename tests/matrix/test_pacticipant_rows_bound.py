"""The one-pacticipant matrix reads only the newest rows: the bounded query's first `limit` rows are
exactly those of the unbounded one, whatever mixes of re-published content, re-verification and
unverified pacts the history holds."""

import pytest

from apps.contracts.models import Pacticipant
from apps.matrix.resolution import ResolvedMatrixSelector
from apps.matrix.rows import rows_find
from tests.support.factories import pact_publish, verification_publish


def _content(consumer: str, provider: str, revision: int) -> dict:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {"description": f"rev {revision}", "request": {"method": "GET", "path": "/"}, "response": {"status": 200}}
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


@pytest.fixture
def history(in_acme):
    """Foo publishes to Bar and Baz over 8 versions (content changes every third version, so later
    versions are pre-verified); Bar verifies most of them, some several times and by several
    versions; Baz verifies a few; the newest pacts are unverified, and the last re-publishes old content."""
    for n in range(1, 9):
        for provider in ("Bar", "Baz"):
            pact_publish("Foo", str(n), provider, content=_content("Foo", provider, n // 3))
        if n < 7:
            for k in range(1 + n % 3):
                verification_publish("Foo", str(n), "Bar", f"b{n}.{k}", success=k % 2 == 0)
        if n % 2 == 0:
            verification_publish("Foo", str(n), "Baz", f"z{n}")
            verification_publish("Foo", str(n), "Baz", f"z{n}")  # the same provider version again
    # Last, an old content again: its rows rank by this publication, over results older than newer ones.
    pact_publish("Foo", "9", "Bar", content=_content("Foo", "Bar", 1))
    return in_acme


@pytest.mark.parametrize("name", ["Foo", "Bar", "Baz"])
@pytest.mark.parametrize("latest_tables", [False, True])
def test_the_bounded_rows_are_the_newest_rows_of_the_whole_history(history, name, latest_tables):
    pacticipant = Pacticipant.objects.get(name=name)
    selector = ResolvedMatrixSelector(pacticipant_id=pacticipant.pk, pacticipant_name=name)

    def keys(limit: int) -> list[tuple]:
        rows = rows_find([selector], [selector], latest_tables=latest_tables, limit=limit)
        return [(row.pact_publication_id, row.verification_id) for row in rows]

    everything = keys(10_000)
    assert len(everything) > 8, "the history must be longer than the limits below"
    for limit in (1, 3, 5, 8):
        assert keys(limit) == everything[:limit], f"limit {limit}"
