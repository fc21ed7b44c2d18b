"""`matrix_page`: the UI's browsable matrix. Pages are cut and counted in SQL; put together they are
exactly the rows of the whole query (the API's `matrix_find` with a limit above the row count),
`latestby` included; a page past the end is empty with the right total; the statement count is 3
whatever the page or the data."""

import pytest

from apps.matrix.query_params import MatrixOptions, UnresolvedSelector
from apps.matrix.service import MatrixQueryInvalid, matrix_find, matrix_page
from tests.support.factories import deploy, pact_content, pact_publish, verification_publish


@pytest.fixture
def history(in_acme):
    """Foo publishes to Bar and Baz over 8 versions (branch main, odd versions also on feat; content
    changes every third version, so later versions are pre-verified); Bar verifies most of them,
    some by several versions; Baz verifies the even ones; version 4 of Foo is in production."""
    for n in range(1, 9):
        for provider in ("Bar", "Baz"):
            pact_publish(
                "Foo",
                str(n),
                provider,
                content=pact_content("Foo", provider, f"rev {n // 3}"),
                branch="feat" if n % 2 else "main",
                tags=["even"] if n % 2 == 0 else [],
            )
        if n < 7:
            for k in range(1 + n % 3):
                verification_publish("Foo", str(n), "Bar", f"b{n}.{k}", success=k % 2 == 0)
        if n % 2 == 0:
            verification_publish("Foo", str(n), "Baz", f"z{n}")
    deploy("Foo", "4", "production")
    return in_acme


def _key(row) -> tuple:
    return (row.consumer_version_number, row.provider_name, row.provider_version_number, row.verification_id)


def _all_pages(selectors, latestby, size) -> tuple[list, list[int]]:
    rows, totals, number = [], [], 1
    while True:
        page = matrix_page(selectors, MatrixOptions(latestby=latestby), number=number, size=size)
        totals.append(page.total)
        if not page.rows:
            return rows, totals
        assert len(page.rows) <= size
        rows.extend(page.rows)
        number += 1


@pytest.mark.parametrize("latestby", [None, "cvpv", "cvp", "cp"])
@pytest.mark.parametrize(
    "selectors",
    [
        [UnresolvedSelector(pacticipant_name="Foo")],
        [UnresolvedSelector(pacticipant_name="Bar")],
        [UnresolvedSelector(pacticipant_name="Foo"), UnresolvedSelector(pacticipant_name="Bar")],
        [UnresolvedSelector(pacticipant_name="Foo", branch="main")],
        [UnresolvedSelector(pacticipant_name="Foo", tag="even"), UnresolvedSelector(pacticipant_name="Baz")],
        [UnresolvedSelector(pacticipant_name="Foo", environment_name="production")],
    ],
    ids=["consumer", "provider", "pair", "branch", "tag-and-provider", "environment"],
)
def test_pages_put_together_are_the_whole_query_with_latestby_applied(history, selectors, latestby):
    whole = matrix_find(selectors, MatrixOptions(latestby=latestby, limit=1000)).rows
    if selectors[0].branch:  # one application's versions on a branch: its rows, of those versions
        whole = [
            r
            for r in matrix_find([UnresolvedSelector("Foo")], MatrixOptions(latestby=latestby, limit=1000)).rows
            if r.consumer_version_number in {"2", "4", "6", "8"}
        ]
    paged, totals = _all_pages(selectors, latestby, size=3)
    assert [_key(r) for r in paged] == [_key(r) for r in whole]
    assert set(totals) == {len(whole)} and len(whole) > 0


def test_the_filters_select_the_versions_they_name(history):
    on_main = matrix_page(
        [UnresolvedSelector(pacticipant_name="Foo", branch="main")], MatrixOptions(latestby="cvpv"), number=1, size=50
    )
    assert {r.consumer_version_number for r in on_main.rows} == {"2", "4", "6", "8"}
    latest_on_feat = matrix_page(
        [UnresolvedSelector(pacticipant_name="Foo", branch="feat", latest=True)],
        MatrixOptions(latestby="cvpv"),
        number=1,
        size=50,
    )
    assert {r.consumer_version_number for r in latest_on_feat.rows} == {"7"}
    in_production = matrix_page(
        [UnresolvedSelector(pacticipant_name="Foo", environment_name="production"), UnresolvedSelector("Baz")],
        MatrixOptions(latestby="cvp"),
        number=1,
        size=50,
    )
    assert [(r.consumer_version_number, r.provider_name, r.provider_version_number) for r in in_production.rows] == [
        ("4", "Baz", "z4")
    ]
    assert in_production.total == 1


def test_a_page_past_the_end_is_empty_and_still_counts_the_rows(history):
    selectors = [UnresolvedSelector(pacticipant_name="Foo")]
    first = matrix_page(selectors, MatrixOptions(latestby="cvp"), number=1, size=5)
    past = matrix_page(selectors, MatrixOptions(latestby="cvp"), number=99, size=5)
    assert len(first.rows) == 5 and first.total > 5
    assert past.rows == [] and past.total == first.total and past.offset == 490


def test_a_page_costs_three_statements_whatever_the_page(history, django_assert_num_queries):
    selectors = [UnresolvedSelector(pacticipant_name="Foo"), UnresolvedSelector(pacticipant_name="Bar")]
    for number in (1, 2, 50):
        with django_assert_num_queries(3):
            matrix_page(selectors, MatrixOptions(latestby="cvp"), number=number, size=2)


def test_bad_queries_are_refused_as_the_api_refuses_them(history):
    with pytest.raises(MatrixQueryInvalid) as refused:
        matrix_page([UnresolvedSelector(pacticipant_name="Nope")], MatrixOptions(), number=1, size=50)
    assert refused.value.errors == ["Pacticipant Nope not found"]
    with pytest.raises(MatrixQueryInvalid) as refused:
        matrix_page(
            [UnresolvedSelector(pacticipant_name="Foo")], MatrixOptions(environment_name="moon"), number=1, size=50
        )
    assert refused.value.errors == ["Environment with name 'moon' does not exist"]


def test_another_organisations_matrix_is_invisible(history, outsider):
    from django_tenants.utils import schema_context

    with schema_context(outsider.schema):
        with pytest.raises(MatrixQueryInvalid) as refused:
            matrix_page([UnresolvedSelector(pacticipant_name="Foo")], MatrixOptions(), number=1, size=50)
    assert refused.value.errors == ["Pacticipant Foo not found"]
