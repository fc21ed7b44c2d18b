"""The broker's words for a body it cannot parse (apps/core/ruby_json.py): Ruby's JSON parser messages."""

import pytest

from apps.core.ruby_json import error_message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "JSON::ParserError - unexpected end of input at line 1 column 1"),
        (b"{not json", "JSON::ParserError - expected object key, got 'not' at line 1 column 2"),
        (b'{"a": 1,}', "JSON::ParserError - expected object key, got: '}' at line 1 column 9"),
        (b'{"a" 1}', "JSON::ParserError - expected ':' after object key at line 1 column 6"),
        (b"[1 2]", "JSON::ParserError - expected ',' or ']' after array value at line 1 column 4"),
        (b"[1,]", "JSON::ParserError - unexpected character: ']' at line 1 column 4"),
        (b'{"a": NaN}', "JSON::ParserError - unexpected token 'NaN}' at line 1 column 7"),
        (b'{"a":1}x', "JSON::ParserError - unexpected token at end of stream 'x' at line 1 column 8"),
        (b"{\n  x", "JSON::ParserError - expected object key, got 'x' at line 2 column 3"),
        (
            b'{"pacticipantName": "\xff"}',
            "Request body has a non UTF-8 character at char 22 and cannot be parsed as JSON. "
            'Fragment preceding invalid character is: \'{"pacticipantName": "\'',
        ),
    ],
)
def test_messages_are_the_brokers(raw, message):
    assert error_message(raw) == message


def test_a_document_the_brokers_parser_accepts_has_no_message():
    assert error_message(b'{"a": [1, 2.5e3, "x\\u00e9", null]} // a comment\n') is None
