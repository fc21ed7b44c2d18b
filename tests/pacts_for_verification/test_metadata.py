"""The metadata segment: Rack's nested query, base64url without padding (the codec itself:
tests/core/test_rack.py)."""

import base64

from apps.pacts_for_verification.metadata import (
    metadata_consumer_version_ids,
    metadata_decode,
    metadata_encode,
    metadata_is_pending,
    metadata_is_wip,
)


def test_the_segment_is_unpadded_base64url_of_the_query():
    segment = metadata_encode({"s": [{"t": "a?b>", "cv": 1}], "p": True})

    assert "=" not in segment and "+" not in segment and "/" not in segment
    assert (
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode()
        == "s%5B%5D%5Bt%5D=a%3Fb%3E&s%5B%5D%5Bcv%5D=1&p=true"
    )


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
