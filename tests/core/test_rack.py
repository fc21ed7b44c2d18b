"""The one Rack nested-query codec (apps/core/rack.py), used by the matrix, can-i-deploy, the GET
form of pacts-for-verification and every `/metadata/{m}` segment of a pact URL."""

import base64

import pytest

from apps.core.rack import (
    QueryParseError,
    build_nested_query,
    parse_nested_query,
    segment_decode,
    segment_encode,
)


def test_building_escapes_keys_and_values_as_ruby_does():
    query = build_nested_query({"cvn": "1.0 ~x", "cvt": ["main", "a&b"], "w": True, "n": None})

    assert query == "cvn=1.0+%7Ex&cvt%5B%5D=main&cvt%5B%5D=a%26b&w=true&n"


def test_an_empty_list_writes_nothing():
    assert build_nested_query({"cvn": "1", "cvt": [], "w": "true"}) == "cvn=1&w=true"


def test_parsing_starts_a_new_list_element_when_a_key_repeats():
    assert parse_nested_query("a[][x]=1&a[][y]=2&a[][x]=3&b[c]=4&d[]=5") == {
        "a": [{"x": "1", "y": "2"}, {"x": "3"}],
        "b": {"c": "4"},
        "d": ["5"],
    }


def test_parsing_round_trips_what_building_writes():
    value = {"s": [{"b": "feat/x y", "l": "true", "cv": "12"}, {"b": "main", "cv": "13"}], "p": "false"}

    assert parse_nested_query(build_nested_query(value)) == value


@pytest.mark.parametrize("query", ["a=1&a[]=2", "a[]=1&a[x]=2", "a" + "[b]" * 101 + "=1"])
def test_what_rack_refuses_is_a_parse_error(query):
    with pytest.raises(QueryParseError):
        parse_nested_query(query)


def test_a_segment_is_unpadded_url_safe_base64_of_the_query():
    segment = segment_encode({"s": [{"t": "a?b>", "cv": 1}], "p": True})

    assert "=" not in segment and "+" not in segment and "/" not in segment
    assert (
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode()
        == "s%5B%5D%5Bt%5D=a%3Fb%3E&s%5B%5D%5Bcv%5D=1&p=true"
    )


def test_a_segment_written_by_the_ruby_broker_decodes_too():
    # `Base64.strict_encode64`: the standard alphabet, padded
    ruby = base64.b64encode(b"cvt%5B%5D=a%3F%3F%3E&cv=7").decode()

    assert "=" in ruby
    assert segment_decode(ruby) == {"cvt": ["a??>"], "cv": "7"}


@pytest.mark.parametrize("segment", [None, "", "%%%", "!!", base64.b64encode(b"a=1&a[]=2").decode()])
def test_a_segment_that_does_not_decode_is_empty_not_an_error(segment):
    assert segment_decode(segment) == {}
