"""Pacts of every specification version rendered for people, and the diff between two."""

import json

from apps.ui.pact_document import pact_diff, pact_document


def test_a_v2_interaction_with_a_string_query_and_a_provider_state():
    doc = pact_document(
        json.dumps(
            {
                "consumer": {"name": "A"},
                "provider": {"name": "B"},
                "interactions": [
                    {
                        "description": "get",
                        "providerState": "a thing exists",
                        "request": {"method": "get", "path": "/things", "query": "a=1&b=2"},
                        "response": {"status": 200, "body": [1, 2]},
                    }
                ],
                "metadata": {"pactSpecification": {"version": "2.0.0"}},
            }
        )
    )

    [interaction] = doc.interactions
    assert interaction.kind == "http"
    assert interaction.request.title == "GET /things?a=1&b=2"
    assert interaction.states == [{"name": "a thing exists", "params": None}]
    assert interaction.responses[0].title == "200" and "1," in interaction.responses[0].body
    assert doc.specification == "2.0.0"


def test_v4_http_bodies_and_messages_are_unwrapped():
    doc = pact_document(
        json.dumps(
            {
                "interactions": [
                    {
                        "type": "Synchronous/HTTP",
                        "description": "create",
                        "pending": True,
                        "comments": {"text": ["see ticket 12"]},
                        "request": {
                            "method": "POST",
                            "path": "/x",
                            "headers": {"Accept": ["a", "b"]},
                            "body": {"content": {"n": 1}, "contentType": "application/json", "encoded": False},
                        },
                        "response": {"status": 201},
                    },
                    {
                        "type": "Asynchronous/Messages",
                        "description": "event",
                        "contents": {"content": "hello"},
                        "metadata": {"topic": "t"},
                    },
                    {
                        "type": "Synchronous/Messages",
                        "description": "rpc",
                        "request": {"contents": {"content": "ping"}},
                        "response": [{"contents": {"content": "pong"}}],
                    },
                    {"type": "Something/New", "description": "future"},
                ]
            }
        )
    )

    http, message, rpc, other = doc.interactions
    assert http.pending and http.comments == ["see ticket 12"]
    assert http.request.headers == {"Accept": "a, b"} and '"n": 1' in http.request.body
    assert message.kind == "message" and message.request.body == "hello" and message.request.headers == {"topic": "t"}
    assert rpc.kind == "sync-message" and rpc.request.body == "ping" and rpc.responses[0].body == "pong"
    assert other.kind == "other" and "Something/New" in other.request.body


def test_content_that_is_not_json_is_shown_as_an_error_not_a_crash():
    doc = pact_document("{nope")

    assert doc.error.startswith("This pact is not valid JSON")
    assert doc.raw == "{nope"


def test_the_diff_ignores_interaction_ids_and_key_order():
    older = json.dumps({"interactions": [{"_id": "1", "description": "a", "request": {"path": "/a"}}]})
    newer = json.dumps({"interactions": [{"request": {"path": "/b"}, "description": "a", "_id": "2"}]})

    lines = pact_diff(older, newer, older_name="v1", newer_name="v2")

    assert ("remove", '-        "path": "/a"') in lines
    assert ("add", '+        "path": "/b"') in lines
    assert not any("_id" in line for _, line in lines)
    assert pact_diff(older, older, older_name="v1", newer_name="v1") == []
