"""DELETE `.../pact-version/{sha}[/metadata/{m}]/verification-results/{n}` (shared reference §2.8): 204, the
result and its triggered webhooks gone, and the latest-verification heads (matrix, pending) as if it
had never been published."""

from urllib.parse import urlparse

import pytest
from django_tenants.utils import schema_context

from apps.accounts import services as account_services
from apps.contracts.models import PactPublication
from apps.contracts.services.versions import version_tag_create
from apps.verifications.models import LatestVerification, SuccessfulVerificationForProviderTag, Verification
from apps.webhooks.models import TriggeredWebhook, WebhookExecution
from tests.support.pacts import pact_fixture, pact_put, verification_post
from tests.support.webhook_builders import deliveries_run, webhook_create

BASE = "/pacts/provider/Bar/consumer/Foo"
MATRIX = "/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv"


@pytest.fixture
def pact(acme):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"), version="1")
    return client.get(f"{BASE}/latest").json()


def _number(result) -> str:
    return result.json()["_links"]["self"]["href"].rsplit("/", 1)[1]


def _href(result) -> str:
    return result.json()["_links"]["self"]["href"]


def _matrix_success(client):
    rows = client.get(MATRIX).json()["matrix"]
    return [
        (
            row["provider"]["version"]["number"] if row["provider"]["version"] else None,
            row["verificationResult"] and row["verificationResult"]["success"],
        )
        for row in rows
    ]


def test_deleting_the_only_result_answers_204_and_leaves_the_pact_unverified(acme, pact):
    client = acme.client()
    result = verification_post(client, pact)

    response = client.delete(_href(result))

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(_href(result)).status_code == 404
    assert client.get(f"{BASE}/latest/verification-results/latest").status_code == 404
    assert _matrix_success(client) == [(None, None)]
    with schema_context(acme.schema):
        assert not Verification.objects.exists() and not LatestVerification.objects.exists()
        assert PactPublication.objects.count() == 1  # the pact stays


def test_the_previous_result_of_the_same_provider_version_becomes_the_latest_again(acme, pact):
    client = acme.client()
    failed = verification_post(client, pact, success=False)
    passed = verification_post(client, pact, success=True)
    assert _matrix_success(client) == [("2.0.0", True)]

    assert client.delete(_href(passed)).status_code == 204

    assert _matrix_success(client) == [("2.0.0", False)]
    assert client.get(f"{BASE}/latest/verification-results/latest").json()["success"] is False
    with schema_context(acme.schema):
        latest = LatestVerification.objects.get()
        assert latest.verification.number == int(_number(failed))
        assert latest.created_at == latest.verification.created_at


def test_deleting_an_older_result_keeps_the_latest(acme, pact):
    client = acme.client()
    older = verification_post(client, pact, success=False)
    newer = verification_post(client, pact, success=True)

    assert client.delete(_href(older)).status_code == 204

    assert _matrix_success(client) == [("2.0.0", True)]
    with schema_context(acme.schema):
        assert LatestVerification.objects.get().verification.number == int(_number(newer))


def test_other_provider_versions_are_untouched(acme, pact):
    client = acme.client()
    verification_post(client, pact, provider_version="2.0.0", success=True)
    second = verification_post(client, pact, provider_version="3.0.0", success=False)

    client.delete(_href(second))

    assert _matrix_success(client) == [("2.0.0", True)]


def test_a_successful_tag_record_moves_to_the_next_successful_result_with_that_tag(acme, pact):
    client = acme.client()
    with schema_context(acme.schema):
        for number in ("2.0.0", "3.0.0"):
            version_tag_create(pacticipant_name="Bar", number=number, tag_name="main")
    first = verification_post(client, pact, provider_version="2.0.0", success=True)
    verification_post(client, pact, provider_version="3.0.0", success=False)
    third = verification_post(client, pact, provider_version="3.0.0", success=True)

    client.delete(_href(first))

    with schema_context(acme.schema):
        record = SuccessfulVerificationForProviderTag.objects.get()
        assert (record.provider_version_tag_name, record.verification.number) == ("main", int(_number(third)))

    client.delete(_href(third))

    with schema_context(acme.schema):
        assert not SuccessfulVerificationForProviderTag.objects.exists()


def test_its_triggered_webhooks_and_their_logs_go_with_it(acme, pact):
    client = acme.client()
    result = verification_post(client, pact)
    with schema_context(acme.schema):
        webhook_create(url="https://ci.example.com/verified", events=["provider_verification_published"])
        deliveries_run(event_name="provider_verification_published", verification=Verification.objects.get())
        assert TriggeredWebhook.objects.count() == 1 and WebhookExecution.objects.count() == 1

    assert client.delete(_href(result)).status_code == 204

    with schema_context(acme.schema):
        assert not TriggeredWebhook.objects.exists() and not WebhookExecution.objects.exists()


def test_the_metadata_form_of_the_url_deletes_too(acme):
    client = acme.client()
    pact_put(client, pact_fixture("foo-bar"), version="1")
    pact = client.get(f"{BASE}/latest").json()  # publish link carries /metadata/...
    assert "/metadata/" in pact["_links"]["pb:publish-verification-results"]["href"]
    result = verification_post(client, pact)
    metadata_url = pact["_links"]["pb:publish-verification-results"]["href"] + f"/{_number(result)}"

    assert client.delete(metadata_url).status_code == 204
    assert client.get(_href(result)).status_code == 404


def test_missing_results_are_404(acme, pact):
    client = acme.client()
    result = verification_post(client, pact)
    sha = pact["_links"]["pb:pact-version"]["name"]

    assert client.delete(f"{BASE}/pact-version/{sha}/verification-results/999999").status_code == 404
    assert client.delete(f"{BASE}/pact-version/{'0' * 40}/verification-results/{_number(result)}").status_code == 404
    assert (
        client.delete(
            f"/pacts/provider/Baz/consumer/Foo/pact-version/{sha}/verification-results/{_number(result)}"
        ).status_code
        == 404
    )
    assert client.delete(f"{BASE}/pact-version/{sha}/verification-results/abc").status_code == 404
    assert client.delete(_href(result)).status_code == 204
    assert client.delete(_href(result)).status_code == 404  # already gone


def test_all_is_not_a_result_number(acme, pact):
    client = acme.client()
    sha = pact["_links"]["pb:pact-version"]["name"]
    url = f"{BASE}/pact-version/{sha}/verification-results/all"

    for response in (client.get(url), client.delete(url)):
        assert response.status_code == 404
        assert response.json() == {"error": "To see all the verifications for a pact, use the Matrix page"}


def test_latest_cannot_be_deleted(acme, pact):
    client = acme.client()
    verification_post(client, pact)
    sha = pact["_links"]["pb:pact-version"]["name"]

    response = client.delete(f"{BASE}/pact-version/{sha}/verification-results/latest")

    assert response.status_code == 405
    with schema_context(acme.schema):
        assert Verification.objects.count() == 1


def test_deleting_needs_the_verification_publish_permission(acme, outsider, pact):
    client = acme.client()
    result = verification_post(client, pact)
    with schema_context(acme.schema):
        viewer = account_services.user_create(
            email="viewer@acme.example",
            name="viewer",
            password=None,
            email_confirmed=True,
            roles=[account_services.builtin_role("viewer")],
        )
        _, viewer_token = account_services.token_create(user=viewer, name="rw", read_only=False)

    assert acme.client(token=acme.read_token).delete(_href(result)).status_code == 403
    assert acme.client(token=viewer_token).delete(_href(result)).status_code == 403
    assert acme.client(token="").delete(_href(result)).status_code == 401
    assert outsider.client().delete(urlparse(_href(result)).path).status_code == 404
    with schema_context(acme.schema):
        assert Verification.objects.count() == 1
    assert client.get(_href(result)).status_code == 200
