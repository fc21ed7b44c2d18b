"""deployed / released / environment selectors, with deployments recorded by apps.environments."""

import pytest
from django_tenants.utils import schema_context

from tests.pacts_for_verification.helpers import metadata_of, pacts, summary
from tests.support.factories import (
    deploy,
    environment_ensure,
    pact_publish,
    release,
)


@pytest.fixture
def deployed(acme):
    with schema_context(acme.schema):
        environment_ensure("test")
        environment_ensure("production", production=True)
        pact_publish("Foo", "1", "Bar", description="v1")
        pact_publish("Foo", "2", "Bar", description="v2")
        pact_publish("Foo", "3", "Bar", description="v3")
        pact_publish("Mobile", "7", "Bar", description="m7")
        deploy("Foo", "1", "production")
        deploy("Foo", "1", "test")  # one version deployed to two environments
        deploy("Foo", "2", "test", target="canary", undeployed=True)  # another instance, ended
        release("Mobile", "7", "production")
    return acme


def test_deployed_selects_currently_deployed_versions_once_per_content(deployed):
    found = pacts(deployed, "Bar", {"consumerVersionSelectors": [{"deployed": True}]})

    assert summary(found) == [("Pact between Foo (1) and Bar", "deployed to test, deployed to production")]
    assert (
        "* consumer version(s) currently deployed to test (1) and production (1)"
        in found[0]["verificationProperties"]["notices"][0]["text"]
    )
    assert [s.get("e") for s in metadata_of(found[0])["s"]] == ["test", "production"]


def test_released_and_deployed_or_released(deployed):
    assert summary(pacts(deployed, "Bar", {"consumerVersionSelectors": [{"released": True}]})) == [
        ("Pact between Mobile (7) and Bar", "released in production")
    ]
    found = pacts(
        deployed, "Bar", {"consumerVersionSelectors": [{"deployedOrReleased": True, "environment": "production"}]}
    )
    assert summary(found) == [
        ("Pact between Foo (1) and Bar", "deployed to production"),
        ("Pact between Mobile (7) and Bar", "released in production"),
    ]


def test_environment_alone_means_deployed_or_released_there(deployed):
    found = pacts(deployed, "Bar", {"consumerVersionSelectors": [{"environment": "test", "consumer": "Foo"}]})

    assert summary(found) == [("Pact between Foo (1) and Bar", "in environment test")]
    assert "* Foo version in environment test (1)" in found[0]["verificationProperties"]["notices"][0]["text"]


def test_default_selectors_include_deployed_and_released(deployed):
    found = pacts(deployed, "Bar", {})

    assert summary(found) == [
        ("Pact between Foo (1) and Bar", "deployed to test, deployed to production"),
        ("Pact between Foo (3) and Bar", "latest"),
        ("Pact between Mobile (7) and Bar", "latest, released in production"),
    ]


def test_an_environment_nothing_is_deployed_to_selects_nothing(deployed):
    with schema_context(deployed.schema):
        environment_ensure("staging")

    assert pacts(deployed, "Bar", {"consumerVersionSelectors": [{"environment": "staging"}]}) == []


def test_with_no_environments_environment_selectors_select_nothing(acme):
    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar")

    assert pacts(acme, "Bar", {"consumerVersionSelectors": [{"deployedOrReleased": True}]}) == []
