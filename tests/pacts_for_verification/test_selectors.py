"""One scenario per consumer version selector kind, through the HTTP API."""

import pytest
from django_tenants.utils import schema_context

from tests.pacts_for_verification.helpers import for_verification, metadata_of, pacts, summary
from tests.support.factories import pact_publish


@pytest.fixture
def feature_branch_consumer(acme):
    """Foo publishes from main (1, 3) and from a feature branch (2); each version with new content."""
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar", branch="main", tags=["main"], description="v1")
        pact_publish("Foo", "2", "Bar", branch="feat-x", tags=["feat-x"], description="v2")
        pact_publish("Foo", "3", "Bar", branch="main", tags=["main"], description="v3")
    return acme


def test_main_branch_selects_the_head_of_each_consumers_main_branch(feature_branch_consumer):
    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [{"mainBranch": True}]})

    assert summary(found) == [("Pact between Foo (3) and Bar", "latest from main branch")]
    assert "* latest version from the main branch (3)" in found[0]["verificationProperties"]["notices"][0]["text"]


def test_branch_selects_the_head_of_that_branch_only(feature_branch_consumer):
    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [{"branch": "feat-x"}]})

    assert summary(found) == [("Pact between Foo (2) and Bar", "latest from branch feat-x")]


def test_matching_branch_uses_the_provider_version_branch(feature_branch_consumer):
    found = pacts(
        feature_branch_consumer,
        "Bar",
        {"consumerVersionSelectors": [{"matchingBranch": True}], "providerVersionBranch": "feat-x"},
    )

    assert summary(found) == [("Pact between Foo (2) and Bar", "latest from branch feat-x")]


def test_branch_true_selects_the_head_of_every_branch(feature_branch_consumer):
    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [{"branch": True}]})

    assert summary(found) == [
        ("Pact between Foo (2) and Bar", "latest from branch feat-x"),
        ("Pact between Foo (3) and Bar", "latest from branch main"),
    ]


def test_latest_tag_selects_the_pact_of_the_latest_tagged_version(feature_branch_consumer):
    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [{"tag": "main", "latest": True}]})

    assert summary(found) == [("Pact between Foo (3) and Bar", "latest with tag main")]


def test_tag_without_latest_selects_every_tagged_version(feature_branch_consumer):
    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [{"tag": "main"}]})

    assert summary(found) == [
        ("Pact between Foo (1) and Bar", "one of main"),
        ("Pact between Foo (3) and Bar", "one of main"),
    ]


def test_fallback_tag_is_used_only_when_the_tag_has_no_pact(feature_branch_consumer):
    selector = {"tag": "feat-y", "fallbackTag": "main", "latest": True}
    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [selector]})

    assert summary(found) == [("Pact between Foo (3) and Bar", "latest with tag main")]
    assert (
        "latest version tagged 'main' (fallback tag used as no pact was found with tag 'feat-y') (3)"
        in found[0]["verificationProperties"]["notices"][0]["text"]
    )

    selector = {"tag": "feat-x", "fallbackTag": "main", "latest": True}
    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [selector]})
    assert summary(found) == [("Pact between Foo (2) and Bar", "latest with tag feat-x")]


def test_latest_selects_each_consumers_latest_pact_and_consumer_narrows_it(feature_branch_consumer):
    with schema_context(feature_branch_consumer.schema):
        pact_publish("Baz", "7", "Bar")

    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [{"latest": True}]})
    assert summary(found) == [("Pact between Baz (7) and Bar", "latest"), ("Pact between Foo (3) and Bar", "latest")]

    found = pacts(feature_branch_consumer, "Bar", {"consumerVersionSelectors": [{"latest": True, "consumer": "Baz"}]})
    assert summary(found) == [("Pact between Baz (7) and Bar", "latest")]
    assert (
        "* latest version of Baz that has a pact with Bar (7)"
        in found[0]["verificationProperties"]["notices"][0]["text"]
    )


def test_the_same_content_is_returned_once_with_every_selector_and_the_newest_version(acme):
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar", branch="main", tags=["prod"])
        pact_publish("Foo", "2", "Bar", branch="main")  # same content as 1

    found = pacts(acme, "Bar", {"consumerVersionSelectors": [{"mainBranch": True}, {"tag": "prod", "latest": True}]})

    assert summary(found) == [("Pact between Foo (2) and Bar", "latest with tag prod, latest from main branch")]
    inclusion = found[0]["verificationProperties"]["notices"][0]["text"]
    assert "belongs to the consumer versions matching the following criteria:\n" in inclusion
    assert "    * latest version tagged 'prod' (1)\n    * latest version from the main branch (2)" in inclusion
    assert [s["cv"] for s in metadata_of(found[0])["s"]] == sorted(s["cv"] for s in metadata_of(found[0])["s"])


def test_a_main_branch_head_without_a_pact_for_this_provider_selects_nothing(acme):
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar", branch="main")
        pact_publish("Foo", "2", "Other", branch="main")  # Foo stopped talking to Bar

    assert pacts(acme, "Bar", {"consumerVersionSelectors": [{"mainBranch": True}]}) == []


def test_selectors_that_match_nothing_return_an_empty_list(feature_branch_consumer):
    body = {
        "consumerVersionSelectors": [
            {"branch": "nope"},
            {"tag": "nope", "latest": True},
            {"latest": True, "consumer": "Nobody"},
        ]
    }

    response = for_verification(feature_branch_consumer, "Bar", body)

    assert response.status_code == 200
    assert response.json()["_embedded"]["pacts"] == []
    assert response.json()["_links"]["self"]["title"] == "Pacts to be verified"


def test_no_selectors_means_main_branch_else_main_tag_else_latest_per_consumer(acme):
    with schema_context(acme.schema):
        pact_publish("WithBranch", "1", "Bar", branch="main", description="a")
        pact_publish("WithBranch", "2", "Bar", branch="feat", description="b")
        pact_publish("WithTag", "1", "Bar", tags=["main"], description="c")  # first tag made branch "main" too
        pact_publish("Plain", "1", "Bar", description="d")
        pact_publish("Plain", "2", "Bar", description="e")

    found = pacts(acme, "Bar", {})

    assert summary(found) == [
        ("Pact between Plain (2) and Bar", "latest"),
        ("Pact between WithBranch (1) and Bar", "latest from main branch"),
        ("Pact between WithTag (1) and Bar", "latest from main branch"),
    ]
    assert (
        "* latest version of Plain that has a pact with Bar (2)"
        in found[0]["verificationProperties"]["notices"][0]["text"]
    )


def test_an_unknown_provider_is_a_404(acme):
    assert for_verification(acme, "Nobody", {}).status_code == 404


def test_an_outsider_never_sees_acmes_pacts(acme, outsider):
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar", branch="main")
    with schema_context(outsider.schema):
        pact_publish("Other", "9", "Bar", branch="main")

    assert summary(pacts(outsider, "Bar", {"consumerVersionSelectors": [{"mainBranch": True}]})) == [
        ("Pact between Other (9) and Bar", "latest from main branch")
    ]
    # acme's token does not open globex's broker
    assert for_verification(outsider, "Bar", {}, token=acme.token).status_code == 401


def test_a_read_only_token_may_ask_for_pacts_to_verify(feature_branch_consumer):
    response = for_verification(
        feature_branch_consumer,
        "Bar",
        {"consumerVersionSelectors": [{"mainBranch": True}]},
        token=feature_branch_consumer.read_token,
    )

    assert response.status_code == 200


def test_the_deprecated_get_form_works_with_a_deprecation_notice(feature_branch_consumer):
    response = feature_branch_consumer.client().get(
        "/pacts/provider/Bar/for-verification?consumer_version_selectors[][tag]=main"
        "&consumer_version_selectors[][latest]=true",
        HTTP_ACCEPT="application/hal+json",
    )

    assert response.status_code == 200
    found = response.json()["_embedded"]["pacts"]
    assert summary(found) == [("Pact between Foo (3) and Bar", "latest with tag main")]
    assert found[0]["verificationProperties"]["notices"][0]["text"].startswith("WARNING")


def test_the_pact_url_carries_the_selection_as_metadata(feature_branch_consumer):
    found = pacts(
        feature_branch_consumer,
        "Bar",
        {"consumerVersionSelectors": [{"mainBranch": True}], "providerVersionBranch": "main"},
    )

    href = found[0]["_links"]["self"]["href"]
    with schema_context(feature_branch_consumer.schema):
        from apps.contracts.models import PactVersion, Version

        version = Version.objects.get(pacticipant__name="Foo", number="3")
        sha = PactVersion.objects.get(publications__consumer_version=version).sha
    assert href.startswith(f"http://acme.localhost/pacts/provider/Bar/consumer/Foo/pact-version/{sha}/metadata/")
    assert metadata_of(found[0]) == {"s": [{"b": "main", "cv": str(version.id)}], "p": "true"}
