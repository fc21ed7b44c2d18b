"""One scenario per matrix / can-i-deploy rule (data built with tests.support.factories)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.matrix.query_params import MatrixOptions, UnresolvedSelector, matrix_query_parse
from apps.matrix.service import can_i_deploy, matrix_find
from tests.support.factories import deploy, pact_publish, release, verification_publish, verify, version_ensure


def reasons(result) -> list[str]:
    return [r.text for r in result.summary.reasons]


def test_consumer_with_two_providers_where_one_verification_failed_cannot_deploy(in_acme):
    pact_publish("Foo", "1", "Bar")
    pact_publish("Foo", "1", "Baz")
    verification_publish("Foo", "1", "Bar", "10", success=True)
    verification_publish("Foo", "1", "Baz", "20", success=False)
    deploy("Bar", "10", "prod")
    deploy("Baz", "20", "prod")

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is False
    assert result.summary.counts == {"success": 1, "failed": 1, "unknown": 0}
    assert reasons(result) == [
        "The verification for the pact between version 1 of Foo and the version of Baz currently in prod (20) failed"
    ]
    assert result.summary.notices() == [{"type": "error", "text": reasons(result)[0]}]


def test_consumer_verified_by_every_provider_in_the_environment_can_deploy(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10")
    deploy("Bar", "10", "prod")

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is True
    assert reasons(result) == ["All required verification results are published and successful"]


def test_provider_is_checked_against_every_consumer_version_currently_in_the_environment(in_acme):
    pact_publish("Foo", "1", "Bar", content={"interactions": [{"description": "one"}]})
    pact_publish("Foo", "2", "Bar", content={"interactions": [{"description": "two"}]})
    deploy("Foo", "1", "prod", target="blue")
    deploy("Foo", "2", "prod", target="green")
    verification_publish("Foo", "2", "Bar", "10")

    missing_one = can_i_deploy(pacticipant="Bar", version="10", environment="prod")
    verification_publish("Foo", "1", "Bar", "10")
    both = can_i_deploy(pacticipant="Bar", version="10", environment="prod")

    assert missing_one.summary.deployable is None
    assert reasons(missing_one) == [
        "There is no verified pact between one of the versions of Foo currently in prod (1) and version 10 of Bar"
    ]
    assert both.summary.deployable is True
    assert both.summary.counts["success"] == 2


def test_provider_deploying_where_the_consumer_is_not_deployed_has_no_missing_dependencies(in_acme):
    pact_publish("Foo", "1", "Bar")
    version_ensure("Bar", "10")
    version_ensure("Baz", "1")  # makes the environment exist via a deployment of something else
    deploy("Baz", "1", "prod")

    result = can_i_deploy(pacticipant="Bar", version="10", environment="prod")

    assert result.summary.deployable is True
    assert reasons(result) == ["There are no missing dependencies"]


def test_a_verification_by_an_older_provider_version_does_not_cover_the_one_in_the_environment(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10")
    version_ensure("Bar", "11")
    deploy("Bar", "11", "prod")

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is None
    assert result.summary.counts == {"success": 0, "failed": 0, "unknown": 1}
    assert reasons(result) == [
        "There is no verified pact between version 1 of Foo and the version of Bar currently in prod (11)"
    ]


def test_an_older_release_that_fails_blocks_deployment_because_every_live_version_is_checked(in_acme):
    # Broker issue #903: to an environment the query is latestby=cvpv, so an older but still
    # supported provider version counts too.
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10", success=False)
    verification_publish("Foo", "1", "Bar", "11", success=True)
    release("Bar", "10", "prod")
    release("Bar", "11", "prod")

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is False
    assert result.summary.counts == {"success": 1, "failed": 1, "unknown": 0}


def test_a_pact_republished_with_changed_content_after_verification_is_unverified(in_acme):
    pact_publish("Foo", "1", "Bar", content={"interactions": [{"description": "old"}]})
    verification_publish("Foo", "1", "Bar", "10")
    deploy("Bar", "10", "prod")
    pact_publish("Foo", "1", "Bar", content={"interactions": [{"description": "new"}]})

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is None
    assert [row.pact_revision_number for row in result.rows] == [2]


def test_identical_content_from_a_new_consumer_version_is_pre_verified(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10")
    deploy("Bar", "10", "prod")
    pact_publish("Foo", "2", "Bar")

    result = can_i_deploy(pacticipant="Foo", version="2", environment="prod")

    assert result.summary.deployable is True


def test_a_pacticipant_with_no_integrations_can_deploy(in_acme):
    version_ensure("Lonely", "1")
    deploy("Lonely", "1", "prod")

    result = can_i_deploy(pacticipant="Lonely", version="1", environment="prod")

    assert result.summary.deployable is True
    assert result.rows == []
    assert reasons(result) == ["There are no missing dependencies"]


def test_an_ignored_provider_does_not_block_deployment_and_its_rows_are_marked(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10", success=False)
    deploy("Bar", "10", "prod")

    ignoring = can_i_deploy(
        pacticipant="Foo", version="1", environment="prod", ignore=[UnresolvedSelector(pacticipant_name="Bar")]
    )
    not_ignoring = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert ignoring.summary.deployable is True
    assert ignoring.summary.counts == {"success": 0, "failed": 0, "unknown": 0, "ignored": 1}
    assert [row.ignored for row in ignoring.rows] == [True]
    assert reasons(ignoring) == ["There are no missing dependencies"]
    assert not_ignoring.summary.deployable is False


def test_ignoring_a_version_that_does_not_exist_warns_first(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10", success=False)
    deploy("Bar", "10", "prod")

    result = can_i_deploy(
        pacticipant="Foo",
        version="1",
        environment="prod",
        ignore=[UnresolvedSelector(pacticipant_name="Bar", version_number="999")],
    )

    assert result.summary.deployable is False
    assert result.summary.notices()[0] == {
        "type": "warning",
        "text": "WARN: Cannot ignore version 999 of Bar (no such version exists)",
    }
    assert result.summary.notices()[1]["type"] == "error"


def test_an_unknown_version_is_not_deployable(in_acme):
    pact_publish("Foo", "1", "Bar")
    deploy("Foo", "1", "prod")

    result = can_i_deploy(pacticipant="Foo", version="999", environment="prod")

    assert result.summary.deployable is False
    assert reasons(result) == ["No pacts or verifications have been published for version 999 of Foo"]


def test_a_failed_pending_verification_still_fails(in_acme):
    verify(pact_publish("Foo", "1", "Bar"), "10", success=False, pact_pending=True)
    deploy("Bar", "10", "prod")

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is False


def test_unknown_is_none_not_false_when_a_provider_never_verified(in_acme):
    pact_publish("Foo", "1", "Bar")
    deploy("Bar", "10", "prod")

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is None
    assert result.summary.counts["unknown"] == 1


def test_the_provider_not_in_the_environment_leaves_the_consumer_unknown(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10")
    deploy("Foo", "1", "prod")

    result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.deployable is None
    assert reasons(result) == [
        "There is no verified pact between version 1 of Foo and a version of Bar currently in prod (no version is "
        "currently recorded as deployed/released in this environment)"
    ]


def test_tag_workflow_checks_against_the_latest_version_with_the_tag(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10", tags=["prod"])
    verification_publish("Foo", "1", "Bar", "11", success=False)  # untagged, not in prod

    result = can_i_deploy(pacticipant="Foo", version="1", to_tag="prod")

    assert result.summary.deployable is True
    assert reasons(result) == ["All required verification results are published and successful"]


def test_latest_tagged_version_selector_warns_that_a_version_number_is_safer(in_acme):
    pact_publish("Foo", "1", "Bar", tags=["dev"])
    verification_publish("Foo", "1", "Bar", "10", tags=["prod"])

    result = matrix_find(
        [UnresolvedSelector(pacticipant_name="Foo", tag="dev", latest=True)],
        MatrixOptions(tag="prod", latest=True, latestby="cvp"),
    )

    assert result.summary.deployable is True
    assert reasons(result)[0].startswith("WARN: It is recommended to specify the version number")
    assert reasons(result)[1] == "All required verification results are published and successful"


def test_no_target_warns_that_an_environment_is_recommended(in_acme):
    pact_publish("Foo", "1", "Bar")
    verification_publish("Foo", "1", "Bar", "10")

    selectors, options = matrix_query_parse("q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv")
    result = matrix_find(selectors, options)

    assert result.summary.notices()[0]["type"] == "warning"
    assert "specify the environment" in reasons(result)[0]
    assert result.summary.deployable is True


def test_branch_head_and_main_branch_selectors_can_merge(in_acme):
    version_ensure("Bar", "10", branch="main")
    pact_publish("Foo", "1", "Bar", branch="feat/x")
    verification_publish("Foo", "1", "Bar", "10")
    pact_publish("Foo", "2", "Bar", branch="feat/x", content={"interactions": [{"description": "changed"}]})

    head = matrix_find(
        [UnresolvedSelector(pacticipant_name="Foo", branch="feat/x", latest=True)],
        MatrixOptions(main_branch=True, latest=True, latestby="cvp"),
    )
    older = matrix_find(
        [UnresolvedSelector(pacticipant_name="Foo", version_number="1")],
        MatrixOptions(main_branch=True, latest=True, latestby="cvp"),
    )

    assert head.summary.deployable is None  # the branch head (2) changed the pact
    assert "the latest version of Bar from branch main (10)" in reasons(head)[-1]
    assert older.summary.deployable is True


def test_two_specified_versions_only_consider_their_own_integration(in_acme):
    pact_publish("Foo", "1", "Bar")
    pact_publish("Foo", "1", "Baz")
    verification_publish("Foo", "1", "Bar", "10")

    result = matrix_find(
        [
            UnresolvedSelector(pacticipant_name="Foo", version_number="1"),
            UnresolvedSelector(pacticipant_name="Bar", version_number="10"),
        ],
        MatrixOptions(latestby="cvpv"),
    )

    assert result.summary.deployable is True
    assert [(r.consumer_name, r.provider_name) for r in result.rows] == [("Foo", "Bar")]


def test_without_latestby_every_revision_and_verification_is_a_row(in_acme):
    pact_publish("Foo", "1", "Bar", content={"interactions": [{"description": "a"}]})
    verification_publish("Foo", "1", "Bar", "10")
    verification_publish("Foo", "1", "Bar", "10", success=False)
    pact_publish("Foo", "1", "Bar", content={"interactions": [{"description": "b"}]})

    every = matrix_find(
        [UnresolvedSelector(pacticipant_name="Foo"), UnresolvedSelector(pacticipant_name="Bar")], MatrixOptions()
    )
    latest = matrix_find(
        [UnresolvedSelector(pacticipant_name="Foo"), UnresolvedSelector(pacticipant_name="Bar")],
        MatrixOptions(latestby="cvpv"),
    )

    assert len(every.rows) == 3  # revision 1 x 2 verifications, revision 2 unverified
    assert len(latest.rows) == 1


def test_limit_cuts_the_rows(in_acme):
    for number in ("1", "2", "3"):
        pact_publish("Foo", number, "Bar", content={"interactions": [{"description": number}]})

    selectors, options = matrix_query_parse("q[][pacticipant]=Foo&q[][pacticipant]=Bar&limit=2")
    result = matrix_find(selectors, options)

    assert [r.consumer_version_number for r in result.rows] == ["3", "2"]


def test_can_i_deploy_costs_at_most_five_statements_whatever_the_data(in_acme):
    def build(n):
        for i in range(n):
            provider = f"P{i}"
            pact_publish("Foo", "1", provider)
            verification_publish("Foo", "1", provider, "1")
            deploy(provider, "1", "prod")

    build(2)
    with CaptureQueriesContext(connection) as small:
        can_i_deploy(pacticipant="Foo", version="1", environment="prod")
    build(12)
    with CaptureQueriesContext(connection) as large:
        result = can_i_deploy(pacticipant="Foo", version="1", environment="prod")

    assert result.summary.counts["success"] == 12
    assert len(small.captured_queries) <= 5
    assert len(large.captured_queries) == len(small.captured_queries)


def test_another_tenant_never_sees_the_data(acme, outsider):
    from django_tenants.utils import schema_context

    from apps.matrix.service import MatrixQueryInvalid

    with schema_context(acme.schema):
        pact_publish("Foo", "1", "Bar")
        verification_publish("Foo", "1", "Bar", "10")
    with schema_context(outsider.schema):
        version_ensure("Other", "1")
        result = matrix_find(*matrix_query_parse("q[][pacticipant]=Other&latestby=cvp"))
        assert result.rows == []
        try:
            matrix_find(*matrix_query_parse("q[][pacticipant]=Foo&q[][version]=1"))
        except MatrixQueryInvalid as invalid:
            assert invalid.errors == ["Pacticipant Foo not found"]
        else:
            raise AssertionError("acme's pacticipant was visible from another tenant")
