"""Validation errors: the broker's keys and texts, per selector index."""

import pytest

from tests.pacts_for_verification.helpers import for_verification


@pytest.mark.parametrize(
    "selectors, message",
    [
        (
            [{}],
            "must specify a value for environment or tag or branch, or specify mainBranch=true, matchingBranch=true, "
            "latest=true, deployed=true, released=true or deployedOrReleased=true (at index 0)",
        ),
        ([{"tag": "x", "fallbackTag": "y"}], "fallbackTag can only be set if latest is true (at index 0)"),
        ([{"branch": "a", "tag": "b", "latest": True}], "cannot specify both a tag and a branch (at index 0)"),
        ([{"branch": "a", "latest": False}], "cannot specify a branch with latest=false (at index 0)"),
        ([{"mainBranch": True, "latest": False}], "cannot specify mainBranch=true with latest=false (at index 0)"),
        (
            [{"mainBranch": True, "tag": "x"}],
            "cannot specify mainBranch=true with any other criteria apart from consumer (at index 0)",
        ),
        (
            [{"matchingBranch": True}],
            "the providerVersionBranch must be specified when the selector matchingBranch=true is used (at index 0)",
        ),
        (
            [{"environment": "feat", "latest": True}],
            "cannot specify the field latest with the field environment (at index 0)",
        ),
        ([{"deployed": True, "released": True}], "cannot specify both deployed=true and released=true (at index 0)"),
        ([{"deployed": False}], "deployed must be one of: true (at index 0)"),
        ([{"tag": "x", "consumer": " "}], "consumer cannot be blank (at index 0)"),
        (
            [{"latest": True}, {"fallbackBranch": "x", "tag": "y"}],
            "a branch must be specified when a fallbackBranch is specified (at index 1)",
        ),
        ([{"environment": "prod"}], "environment with name 'prod' does not exist (at index 0)"),
    ],
)
def test_invalid_selectors_are_refused_with_the_brokers_messages(acme, selectors, message):
    response = for_verification(acme, "Bar", {"consumerVersionSelectors": selectors})

    assert response.status_code == 400
    assert message in response.json()["errors"]["consumerVersionSelectors"]


def test_several_problems_of_one_selector_are_all_reported(acme):
    response = for_verification(
        acme, "Bar", {"consumerVersionSelectors": [{"consumer": " ", "tag": "x", "fallbackTag": "y"}]}
    )

    assert len(response.json()["errors"]["consumerVersionSelectors"]) == 2


def test_an_empty_provider_branch_with_pending_and_no_tags_is_refused(acme):
    response = for_verification(acme, "Bar", {"providerVersionBranch": "", "includePendingStatus": True})

    assert response.status_code == 400
    assert response.json()["errors"]["providerVersionBranch"][0].startswith(
        "when pending or WIP pacts are enabled and there are no tags provided"
    )
    assert (
        for_verification(acme, "Bar", {"providerVersionBranch": "", "providerVersionTags": ["x"]}).status_code == 404
    )  # valid; the provider does not exist


def test_bad_option_types_are_refused(acme):
    response = for_verification(
        acme,
        "Bar",
        {"includeWipPactsSince": "not a date", "providerVersionTags": "main", "consumerVersionSelectors": True},
    )

    assert response.json()["errors"] == {
        "includeWipPactsSince": ["must be a date"],
        "providerVersionTags": ["must be an array"],
        "consumerVersionSelectors": ["must be an array"],
    }


def test_a_body_that_is_not_json_is_refused(acme):
    response = acme.client().post(
        "/pacts/provider/Bar/for-verification", data="x=1", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
