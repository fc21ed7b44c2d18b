"""WIP pacts: pacts published since a date, not otherwise selected, never verified by the provider's branch."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.pacts_for_verification.helpers import metadata_of, pacts, summary
from tests.support.factories import pact_publish, verify, version_ensure

SINCE = (timezone.now() - timedelta(days=3)).date().isoformat()


def body(**extra):
    return {"consumerVersionSelectors": [{"mainBranch": True}], "includeWipPactsSince": SINCE, **extra}


@pytest.fixture
def feature_pact(acme):
    """Foo main (verified by Bar main) and a new feature-branch pact that nobody verified."""
    with schema_context(acme.schema):
        main = pact_publish("Foo", "1", "Bar", branch="main", at=timezone.now() - timedelta(days=10))
        verify(main, "b1", branch="main", at=timezone.now() - timedelta(days=9))
        acme.feature = pact_publish("Foo", "2", "Bar", branch="feat-x", description="new")
    return acme


def test_a_new_feature_pact_is_wip_for_the_providers_branch(feature_pact):
    found = pacts(feature_pact, "Bar", body(providerVersionBranch="main"))

    assert summary(found) == [
        ("Pact between Foo (1) and Bar", "latest from main branch"),
        ("Pact between Foo (2) and Bar", "latest from branch feat-x"),
    ]
    wip = found[1]["verificationProperties"]
    assert wip["wip"] is True and wip["pending"] is True
    assert "wip" not in found[0]["verificationProperties"]
    assert metadata_of(found[1]) == {"w": "true"}
    assert wip["notices"][0]["text"].endswith(
        "is being verified because it is a 'work in progress' pact (ie. it is the pact for the latest version of Foo "
        "from branch 'feat-x' and is still in pending state). Read more at https://docs.pact.io/go/wip"
    )


def test_no_wip_pacts_without_a_provider_branch_or_tags(feature_pact):
    assert len(pacts(feature_pact, "Bar", body())) == 1


def test_pacts_published_before_the_since_date_are_not_wip(feature_pact):
    later = (timezone.now() + timedelta(days=1)).date().isoformat()
    assert len(pacts(feature_pact, "Bar", body(providerVersionBranch="main", includeWipPactsSince=later))) == 1


def test_a_pact_selected_explicitly_is_not_repeated_as_wip(feature_pact):
    found = pacts(
        feature_pact, "Bar", {**body(providerVersionBranch="main"), "consumerVersionSelectors": [{"branch": True}]}
    )

    assert [p["verificationProperties"].get("wip") for p in found] == [None, None]


def test_a_successful_non_wip_verification_from_the_branch_ends_wip(feature_pact):
    with schema_context(feature_pact.schema):
        verify(feature_pact.feature, "b2", branch="main", wip=True)  # a WIP verification does not count
    assert len(pacts(feature_pact, "Bar", body(providerVersionBranch="main"))) == 2

    with schema_context(feature_pact.schema):
        verify(feature_pact.feature, "b3", branch="main")
    assert len(pacts(feature_pact, "Bar", body(providerVersionBranch="main"))) == 1


def test_a_failed_verification_keeps_it_wip(feature_pact):
    with schema_context(feature_pact.schema):
        verify(feature_pact.feature, "b2", branch="main", success=False)

    assert len(pacts(feature_pact, "Bar", body(providerVersionBranch="main"))) == 2


def test_a_new_provider_branch_does_not_get_pacts_main_verified_before_it_existed_as_wip(feature_pact):
    with schema_context(feature_pact.schema):
        verify(feature_pact.feature, "b2", branch="main")

    found = pacts(feature_pact, "Bar", body(providerVersionBranch="feat-new"))
    assert summary(found) == [("Pact between Foo (1) and Bar", "latest from main branch")]


def test_wip_with_provider_tags_uses_the_tag_snapshot(acme):
    with schema_context(acme.schema):
        feature = pact_publish("Foo", "2", "Bar", branch="feat-x", tags=["feat-x"], description="new")
        version_ensure("Bar", "t0", tags=["dev"])

    found = pacts(
        acme,
        "Bar",
        {
            "consumerVersionSelectors": [{"mainBranch": True}],
            "includeWipPactsSince": SINCE,
            "providerVersionTags": ["dev"],
        },
    )
    assert summary(found) == [("Pact between Foo (2) and Bar", "latest from branch feat-x, latest with tag feat-x")]
    assert found[0]["verificationProperties"]["notices"][1]["text"].startswith(
        "This pact is in pending state for this version of Bar because a successful verification result for a "
        "version of Bar with tag 'dev' has not yet been published."
    )

    with schema_context(acme.schema):
        verify(feature, "t1", tags=["dev"])
    assert (
        pacts(
            acme,
            "Bar",
            {
                "consumerVersionSelectors": [{"mainBranch": True}],
                "includeWipPactsSince": SINCE,
                "providerVersionTags": ["dev"],
            },
        )
        == []
    )
