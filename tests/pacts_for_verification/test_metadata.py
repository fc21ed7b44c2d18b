"""The metadata segment: Rack's nested query, base64url without padding."""
import base64

from apps.pacts_for_verification.metadata import (
    metadata_consumer_version_ids,
    metadata_decode,
    metadata_encode,
    metadata_is_pending,
    metadata_is_wip,
)
from apps.pacts_for_verification.rack_query import build_nested_query, parse_nested_query


def test_the_query_is_built_as_rack_builds_it_with_escaped_keys():
    query = build_nested_query({"s": [{"b": "main", "l": True, "cv": 12}, {"t": "prod env", "cv": 13}], "p": False})

    assert query == ("s%5B%5D%5Bb%5D=main&s%5B%5D%5Bl%5D=true&s%5B%5D%5Bcv%5D=12"
                     "&s%5B%5D%5Bt%5D=prod+env&s%5B%5D%5Bcv%5D=13&p=false")


def test_the_segment_is_unpadded_base64url_of_the_query():
    segment = metadata_encode({"s": [{"t": "a?b>", "cv": 1}], "p": True})

    assert "=" not in segment and "+" not in segment and "/" not in segment
    assert base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode() == \
        "s%5B%5D%5Bt%5D=a%3Fb%3E&s%5B%5D%5Bcv%5D=1&p=true"


def test_decoding_gives_what_the_verification_publisher_needs():
    segment = metadata_encode({"s": [{"b": "main", "l": True, "cv": 12}, {"e": "prod", "cv": 13}], "p": False})

    assert metadata_consumer_version_ids(segment) == [12, 13]
    assert metadata_is_pending(segment) is False
    assert metadata_is_wip(segment) is False
    assert metadata_is_wip(metadata_encode({"w": True})) is True
    assert metadata_is_pending(metadata_encode({"w": True})) is True


def test_a_segment_that_does_not_decode_is_empty_not_an_error():
    assert metadata_decode("%%%not-base64") == {}
    assert metadata_decode("") == {}
    assert metadata_consumer_version_ids("!!") == []


def test_rack_parsing_starts_a_new_array_element_when_a_key_repeats():
    assert parse_nested_query("a[][x]=1&a[][y]=2&a[][x]=3") == {"a": [{"x": "1", "y": "2"}, {"x": "3"}]}
