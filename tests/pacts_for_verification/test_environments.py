"""deployed / released / environment selectors, with deployments recorded by apps.environments."""
import pytest
from django_tenants.utils import schema_context

from tests.pacts_for_verification.helpers import metadata_of, pacts, summary
from tests.support.pfv_builders import (
    environment_create,
    publish,
    record_deployment,
    record_release,
)


@pytest.fixture
def deployed(acme):
    with schema_context(acme.schema):
        environment_create("test")
        environment_create("production", production=True)
        publish("Foo", "1", "Bar", description="v1")
        publish("Foo", "2", "Bar", description="v2")
        publish("Foo", "3", "Bar", description="v3")
        publish("Mobile", "7", "Bar", description="m7")
        record_deployment("Foo", "1", "production")
        record_deployment("Foo", "1", "test")       # one version deployed to two environments
        record_deployment("Foo", "2", "test", target="canary", undeployed=True)  # another instance, ended
        record_release("Mobile", "7", "production")
    return acme


def test_deployed_selects_currently_deployed_versions_once_per_content(deployed):
    found = pacts(deployed, "Bar", {"consumerVersionSelectors": [{"deployed": True}]})

    assert summary(found) == [("Pact between Foo (1) and Bar", "deployed to test, deployed to production")]
    assert "* consumer version(s) currently deployed to test (1) and production (1)" in \
        found[0]["verificationProperties"]["notices"][0]["text"]
    assert [s.get("e") for s in metadata_of(found[0])["s"]] == ["test", "production"]


def test_released_and_deployed_or_released(deployed):
    assert summary(pacts(deployed, "Bar", {"consumerVersionSelectors": [{"released": True}]})) == [
        ("Pact between Mobile (7) and Bar", "released in production")]
    found = pacts(deployed, "Bar", {"consumerVersionSelectors": [{"deployedOrReleased": True,
                                                                  "environment": "production"}]})
    assert summary(found) == [("Pact between Foo (1) and Bar", "deployed to production"),
                              ("Pact between Mobile (7) and Bar", "released in production")]


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
        environment_create("staging")

    assert pacts(deployed, "Bar", {"consumerVersionSelectors": [{"environment": "staging"}]}) == []


def test_with_no_environments_environment_selectors_select_nothing(acme):
    with schema_context(acme.schema):
        publish("Foo", "1", "Bar")

    assert pacts(acme, "Bar", {"consumerVersionSelectors": [{"deployedOrReleased": True}]}) == []
