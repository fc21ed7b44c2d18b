from apps.core.rack import parse_nested_query as rack_parse
from apps.matrix.query_params import (
    UnresolvedSelector,
    can_i_deploy_query_parse,
    matrix_query_parse,
)


def test_a_repeated_key_starts_a_new_selector_like_rack():
    params = rack_parse("q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][latest]=true&q[][tag]=prod")

    assert params["q"] == [
        {"pacticipant": "Foo", "version": "1"},
        {"pacticipant": "Bar", "latest": "true", "tag": "prod"},
    ]


def test_percent_encoded_brackets_parse_the_same():
    params = rack_parse("q%5B%5D%5Bpacticipant%5D=Foo&q%5B%5D%5Bversion%5D=1&latestby=cvp")

    assert params == {"q": [{"pacticipant": "Foo", "version": "1"}], "latestby": "cvp"}


def test_matrix_query_becomes_selectors_and_options_ignoring_blank_values():
    selectors, options = matrix_query_parse(
        "q[][pacticipant]=Foo&q[][version]=&q[][branch]=main&q[][latest]=true"
        "&q[][pacticipant]=Bar&q[][mainBranch]=true&latestby=cvp&limit=5&environment=prod"
        "&ignore[][pacticipant]=Baz&ignore[][version]=3&ignore[]=Qux"
    )

    assert selectors == [
        UnresolvedSelector(pacticipant_name="Foo", branch="main", latest=True),
        UnresolvedSelector(pacticipant_name="Bar", main_branch=True),
    ]
    assert options.latestby == "cvp"
    assert options.limit == "5"
    assert options.environment_name == "prod"
    assert options.ignore_selectors == [
        UnresolvedSelector(pacticipant_name="Baz", version_number="3"),
        UnresolvedSelector(pacticipant_name="Qux"),
    ]


def test_default_limit_is_100():
    _, options = matrix_query_parse("q[][pacticipant]=Foo")

    assert options.limit == 100


def test_can_i_deploy_query_takes_simple_and_nested_ignores():
    fields, ignore = can_i_deploy_query_parse("pacticipant=Foo&version=1&environment=prod&ignore[]=Bar&ignore[]=Baz")

    assert fields == {"pacticipant": "Foo", "version": "1", "environment": "prod", "to": None}
    assert [s.pacticipant_name for s in ignore] == ["Bar", "Baz"]
