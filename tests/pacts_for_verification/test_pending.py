"""Pending pacts: a pact stays pending until the provider's branch (or tag) verified it successfully."""

import pytest
from django_tenants.utils import schema_context

from tests.pacts_for_verification.helpers import pacts
from tests.support.factories import pact_publish, verify, version_ensure

MAIN = {"consumerVersionSelectors": [{"mainBranch": True}]}
READ_MORE = "Read more at https://docs.pact.io/go/pending"


def pending_of(org, body) -> list[bool]:
    return [p["verificationProperties"].get("pending") for p in pacts(org, "Bar", body)]


@pytest.fixture
def published(acme):
    with schema_context(acme.schema):
        publication = pact_publish("Foo", "1", "Bar", branch="main")
    acme.publication = publication
    return acme


def test_without_branch_or_tags_a_pact_is_pending_until_anybody_verifies_it_successfully(published):
    assert pending_of(published, MAIN) == [True]
    with schema_context(published.schema):
        verify(published.publication, "p1", success=False)
    assert pending_of(published, MAIN) == [True]
    with schema_context(published.schema):
        verify(published.publication, "p2", success=True)
    assert pending_of(published, MAIN) == [False]


def test_pending_is_reported_by_default_with_the_brokers_notices(published):
    notices = pacts(published, "Bar", {**MAIN, "providerVersionBranch": "main"})[0]["verificationProperties"]["notices"]

    assert [n["when"] for n in notices] == [
        "before_verification",
        "before_verification",
        "after_verification:success_true_published_false",
        "after_verification:success_false_published_false",
        "after_verification:success_true_published_true",
        "after_verification:success_false_published_true",
    ]
    assert notices[1]["text"] == (
        "This pact is in pending state for this version of Bar because a successful verification result for a "
        "version of Bar from branch 'main' has not yet been published. If this verification fails, it will not "
        f"cause the overall build to fail. {READ_MORE}"
    )
    assert notices[2]["text"] == (
        "This pact is still in pending state for any version of Bar from branch 'main' as "
        "the successful verification results have not yet been published."
    )
    assert notices[4]["text"] == (
        "This pact is no longer in pending state for any version of Bar from branch 'main', as a successful "
        "verification result has been published. If a verification for a version of Bar fails in the future, it "
        f"will fail the build. {READ_MORE}"
    )


def test_include_pending_status_false_leaves_pending_out(published):
    found = pacts(published, "Bar", {**MAIN, "includePendingStatus": False})

    assert "pending" not in found[0]["verificationProperties"]
    assert len(found[0]["verificationProperties"]["notices"]) == 1


def test_a_success_from_the_providers_branch_ends_pending_for_that_branch(published):
    with schema_context(published.schema):
        verify(published.publication, "p1", branch="main")

    found = pacts(published, "Bar", {**MAIN, "providerVersionBranch": "main"})
    assert found[0]["verificationProperties"]["pending"] is False
    assert found[0]["verificationProperties"]["notices"][1]["text"] == (
        "This pact has previously been successfully verified by a version of Bar from branch 'main'. If this "
        f"verification fails, it will fail the build. {READ_MORE}"
    )


def test_a_new_provider_branch_inherits_what_other_branches_verified_before_it_was_created(published):
    with schema_context(published.schema):
        verify(published.publication, "p1", branch="main")

    # a branch that does not exist yet inherits every earlier success from any branch
    assert pending_of(published, {**MAIN, "providerVersionBranch": "brand-new"}) == [False]

    with schema_context(published.schema):
        newer = pact_publish("Foo", "2", "Bar", branch="main", description="new")
        verify(newer, "p2", branch="old-feature", success=False)
        verify(newer, "p3", success=True)  # a provider version on no branch never counts for another branch
    assert pending_of(published, {**MAIN, "providerVersionBranch": "brand-new"}) == [True]


def test_a_pact_verified_on_main_after_a_feature_branch_was_created_is_pending_for_that_branch(acme):
    with schema_context(acme.schema):
        version_ensure("Bar", "f1", branch="feat-y")  # feat-y exists before...
        publication = pact_publish("Foo", "1", "Bar", branch="main")
        verify(publication, "p1", branch="main")  # ...main verifies the pact

    assert pending_of(acme, {**MAIN, "providerVersionBranch": "main"}) == [False]
    assert pending_of(acme, {**MAIN, "providerVersionBranch": "feat-y"}) == [True]


def test_with_provider_tags_each_tag_is_pending_until_a_version_with_that_tag_verifies_it(published):
    body = {**MAIN, "providerVersionTags": ["dev", "prod"]}
    with schema_context(published.schema):
        version_ensure("Bar", "p0", tags=["prod"])  # prod exists before dev verifies: no inheritance
        verify(published.publication, "p1", tags=["dev"])

    found = pacts(published, "Bar", body)
    assert found[0]["verificationProperties"]["pending"] is True
    assert found[0]["verificationProperties"]["notices"][1]["text"] == (
        "This pact is in pending state for this version of Bar because a successful verification result for a "
        "version of Bar with tag 'prod' has not yet been published. If this verification fails, it will not cause "
        f"the overall build to fail. {READ_MORE}"
    )
    assert found[0]["verificationProperties"]["notices"][2]["text"] == (
        "This pact is still in pending state for any version of Bar with tag 'prod' as the successful verification "
        "results with this tag have not yet been published."
    )

    with schema_context(published.schema):
        verify(published.publication, "p2", tags=["prod"])
    assert pending_of(published, body) == [False]


def test_a_new_provider_tag_inherits_successes_from_other_tags_made_before_it_existed(published):
    with schema_context(published.schema):
        verify(published.publication, "p1", tags=["dev"])

    assert pending_of(published, {**MAIN, "providerVersionTags": ["never-used"]}) == [False]


def test_publishing_a_verification_for_the_pact_url_flips_pending_for_that_content(published):
    """What the verification service will do with the URL we hand out: attach to the pact version in it."""
    found = pacts(published, "Bar", {**MAIN, "providerVersionBranch": "main"})
    sha = found[0]["_links"]["self"]["href"].split("/pact-version/")[1].split("/")[0]
    with schema_context(published.schema):
        from apps.contracts.models import PactVersion

        verify(PactVersion.objects.get(sha=sha), "p1", branch="main", pact_pending=True)

    assert pending_of(published, {**MAIN, "providerVersionBranch": "main"}) == [False]
