from apps.contracts.services import content
from tests.support.pacts import pact_fixture


def test_the_sha_ignores_key_order_interaction_order_whitespace_and_other_metadata():
    original, reordered = pact_fixture("foo-bar"), pact_fixture("foo-bar-reordered")

    assert content.canonical_sha(original) == content.canonical_sha(reordered)


def test_the_sha_changes_with_the_interactions_and_the_specification_version():
    original = pact_fixture("foo-bar")
    other_spec = {**original, "metadata": {"pactSpecification": {"version": "3.0.0"}}}

    assert content.canonical_sha(original) != content.canonical_sha(pact_fixture("foo-bar-changed"))
    assert content.canonical_sha(original) != content.canonical_sha(other_spec)


def test_the_sha_is_computed_before_interaction_ids_are_added():
    original = pact_fixture("foo-bar")

    assert content.canonical_sha(original) != content.canonical_sha(content.with_interaction_ids(original))


def test_every_interaction_and_message_gets_its_id_as_the_first_key():
    with_ids = content.with_interaction_ids(pact_fixture("foo-events-messages-v3"))

    message = with_ids["messages"][0]
    assert list(message)[0] == "_id"
    assert message["_id"] == content.interaction_id(pact_fixture("foo-events-messages-v3")["messages"][0])


def test_an_interaction_id_does_not_depend_on_key_order_or_an_existing_id():
    a = {"description": "x", "request": {"method": "GET", "path": "/"}}
    b = {"request": {"path": "/", "method": "GET"}, "_id": "stale", "description": "x"}

    assert content.interaction_id(a) == content.interaction_id(b)


def test_non_pact_json_hashes_the_whole_document():
    assert content.canonical_sha([1, 2]) != content.canonical_sha([2, 1])
    assert content.canonical_sha({"b": 1, "a": 2}) == content.canonical_sha({"a": 2, "b": 1})


def test_merge_replaces_same_interactions_and_appends_new_ones():
    existing = pact_fixture("foo-bar")
    new = {"interactions": [existing["interactions"][0], {"description": "new one", "request": {"path": "/n"}}]}

    merged = content.interactions_merge(existing, new)

    assert [i["description"] for i in merged["interactions"]] == [
        "a request for things",
        "a request for a missing thing",
        "new one",
    ]


def test_merge_refuses_the_same_interaction_with_a_different_request():
    existing = pact_fixture("foo-bar")
    clash = {"interactions": [{**existing["interactions"][0], "request": {"method": "POST", "path": "/things"}}]}

    try:
        content.interactions_merge(existing, clash)
    except content.MergeConflict:
        return
    raise AssertionError("expected a merge conflict")


def test_the_diff_shows_removed_and_added_lines():
    diff = content.content_diff(pact_fixture("foo-bar"), pact_fixture("foo-bar-changed"))

    assert '+            "name": "x"' in diff
    assert '-      "description": "a request for a missing thing",' in diff
