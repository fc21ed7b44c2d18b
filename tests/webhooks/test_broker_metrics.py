"""`GET /metrics`: the open-source broker's JSON counts, per organisation (apps/webhooks/api/broker_metrics.py)."""

from tests.support.pacts import pact_fixture, pact_put, verification_post


def test_metrics_count_this_organisations_data_only(acme, outsider, django_assert_max_num_queries):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"), version="1")
    pact_put(client, pact_fixture("foo-bar-changed"), version="2")
    verification_post(client, client.get("/pacts/provider/Bar/consumer/Foo/latest").json(), success=False)

    with django_assert_max_num_queries(40):
        response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/hal+json;charset=utf-8"
    body = response.json()
    assert body["pacticipants"] == {"count": 2, "withMainBranchSetCount": 0}
    assert body["integrations"] == {"count": 1}
    assert body["pactPublications"]["count"] == 2
    assert body["pactRevisionsPerConsumerVersion"] == {"distribution": {"1": 2}}
    assert body["verificationResults"]["failureCount"] == 1
    assert body["matrix"] == {"count": -1}
    elsewhere = outsider.client().get("/metrics").json()
    assert elsewhere["pacticipants"] == {"count": 0, "withMainBranchSetCount": 0}
    assert elsewhere["pactPublications"] == {"count": 0, "first": None, "last": None}
