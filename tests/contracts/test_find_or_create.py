import pytest
from django_tenants.utils import schema_context

from apps.contracts import queries
from apps.contracts.models import BranchHead, Pacticipant
from apps.contracts.services.find_or_create import (
    branch_version_find_or_create,
    pacticipant_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)


@pytest.fixture
def in_acme(acme):
    with schema_context(acme.schema):
        yield acme


def test_pacticipant_is_created_once_with_a_generated_display_name(in_acme):
    first = pacticipant_find_or_create(name="order-service")
    again = pacticipant_find_or_create(name="order-service")

    assert Pacticipant.objects.count() == 1
    assert first.pk == again.pk
    assert first.display_name == "Order Service"


def test_versions_take_increasing_order_from_the_sequence(in_acme):
    app = pacticipant_find_or_create(name="Foo")
    v1 = version_find_or_create(pacticipant=app, number="2.0.0").version
    v2 = version_find_or_create(pacticipant=app, number="1.0.0").version

    assert v1.order is not None and v2.order > v1.order
    assert queries.latest_version(app) == v2  # creation order, not semantic order


def test_the_branch_head_is_the_most_recently_added_version_not_the_highest_order(in_acme):
    app = pacticipant_find_or_create(name="Foo")
    v1 = version_find_or_create(pacticipant=app, number="1").version
    v2 = version_find_or_create(pacticipant=app, number="2").version
    branch_version_find_or_create(version=v2, branch_name="feat")
    branch_version_find_or_create(version=v1, branch_name="feat")

    assert queries.branch_head_version(app, "feat") == v1
    assert BranchHead.objects.count() == 1


def test_first_branch_named_like_a_main_branch_sets_main_branch(in_acme):
    app = pacticipant_find_or_create(name="Foo")
    v1 = version_find_or_create(pacticipant=app, number="1").version
    branch_version_find_or_create(version=v1, branch_name="feat/x")
    branch_version_find_or_create(version=v1, branch_name="main")
    branch_version_find_or_create(version=v1, branch_name="master")

    assert Pacticipant.objects.get(pk=app.pk).main_branch == "main"


def test_first_tag_of_a_new_version_also_creates_a_branch(in_acme):
    app = pacticipant_find_or_create(name="Foo")
    found = version_find_or_create(pacticipant=app, number="1")
    v1 = found.version
    tags_find_or_create(found=found, names=["feat-y"])
    tags_find_or_create(found=found, names=["prod"])

    assert queries.branch_head_version(app, "feat-y") == v1
    assert queries.branch_head_version(app, "prod") is None
    assert queries.latest_version_with_tag(app, "prod") == v1


def test_data_is_invisible_from_another_tenant(acme, outsider):
    with schema_context(acme.schema):
        pacticipant_find_or_create(name="Secret")
    with schema_context(outsider.schema):
        assert queries.pacticipant_find("Secret") is None


def test_a_tag_named_like_an_environment_records_a_deployment(in_acme):
    from apps.environments.models import CurrentlyDeployedVersion
    from apps.environments.services import environment_create

    environment_create(name="production", production=True)
    app = pacticipant_find_or_create(name="Foo")
    found = version_find_or_create(pacticipant=app, number="1")
    v1 = found.version

    tags_find_or_create(found=found, names=["production"], deployments_record=True)
    tags_find_or_create(found=found, names=["feature-x"], deployments_record=True)

    [current] = CurrentlyDeployedVersion.objects.select_related("deployed_version", "environment")
    assert current.version_id == v1.pk and current.environment.name == "production"
    assert current.deployed_version.auto_created
