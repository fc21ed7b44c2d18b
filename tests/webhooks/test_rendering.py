"""Template parameters and secrets are rendered like the broker's, safely."""

import base64
import json

import pytest
from django_tenants.utils import schema_context

from apps.contracts.services.pacticipants import label_add
from apps.webhooks import rendering
from apps.webhooks.models import Webhook
from tests.support.factories import pact_publish, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant(acme):
    with schema_context(acme.schema):
        yield acme


def test_every_template_parameter_has_the_brokers_value(tenant):
    label_add(pacticipant_name="Foo", name="web")
    publication = pact_publish("Foo", "1.0", "Bar Service", tags=["main", "prod"], branch="feat/x")
    verification = verify(publication, "p7", success=False, branch="main", tags=["dev"])

    params = rendering.template_parameters(
        publication=publication,
        verification=verification,
        context={"event_name": "contract_published", "build_url": "https://b"},
        base_url="https://acme.example",
    )

    assert set(params) == set(rendering.PARAMETER_NAMES)
    prefix = "https://acme.example/pacts/provider/Bar%20Service/consumer/Foo/pact-version/"
    assert params["pactUrl"].startswith(prefix + publication.pact_version.sha + "/metadata/")
    segment = params["pactUrl"].rsplit("/", 1)[1]
    # the one metadata codec (apps/core/rack.py): URL-safe base64 without padding
    metadata = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode()
    assert metadata == "cvn=1.0&cvt%5B%5D=main&cvt%5B%5D=prod&w=true"
    assert params["verificationResultUrl"].endswith(f"/verification-results/{verification.number}")
    assert params["consumerVersionNumber"] == "1.0"
    assert params["consumerVersionTags"] == "main, prod"
    assert params["consumerVersionBranch"] == "feat/x"
    assert params["providerVersionNumber"] == "p7"
    assert params["providerVersionTags"] == "dev"
    assert params["providerVersionBranch"] == "main"
    assert params["consumerLabels"] == "web" and params["providerLabels"] == ""
    assert (
        params["githubVerificationStatus"],
        params["bitbucketVerificationStatus"],
        params["azureDevOpsVerificationStatus"],
        params["gitlabVerificationStatus"],
    ) == ("failure", "FAILED", "failed", "failed")
    assert params["eventName"] == "contract_published" and params["buildUrl"] == "https://b"


def test_without_verification_statuses_are_pending_and_context_overrides_versions(tenant):
    publication = pact_publish("Foo", "1", "Bar")

    params = rendering.template_parameters(
        publication=publication,
        verification=None,
        base_url="",
        context={
            "consumer_version_number": "9",
            "provider_version_number": "p1",
            "provider_version_branch": "main",
            "provider_version_descriptions": ["latest from main branch", "deployed in prod"],
        },
    )

    assert params["githubVerificationStatus"] == "pending"
    assert params["bitbucketVerificationStatus"] == "INPROGRESS"
    assert params["consumerVersionNumber"] == "9" and params["providerVersionNumber"] == "p1"
    assert params["providerVersionDescriptions"] == "latest from main branch, deployed in prod"


def test_request_render_escapes_url_values_json_body_values_and_strips_header_newlines():
    webhook = Webhook(
        method="post",
        url="https://ci.example.org/b?c=${pactbroker.consumerName}&t=${user.TOKEN}",
        headers={"X-Name": "${pactbroker.consumerName}", "Authorization": "Bearer ${user.TOKEN}"},
        body=json.dumps({"name": "${pactbroker.consumerName}", "unknown": "${pactbroker.nope}"}),
        is_json_request_body=True,
        username="${user.USER}",
        password="${user.TOKEN}",
    )
    params = {"consumerName": 'Foo "x"\r\nX-Injected: 1'}

    rendered = rendering.request_render(webhook, params, {"TOKEN": "t0k&n", "USER": "bob"})

    assert rendered.method == "POST"
    assert rendered.url == ("https://ci.example.org/b?c=Foo+%22x%22%0D%0AX-Injected%3A+1&t=t0k%26n")
    assert json.loads(rendered.body) == {"name": 'Foo "x"\r\nX-Injected: 1', "unknown": "${pactbroker.nope}"}
    assert rendered.headers["X-Name"] == 'Foo "x"X-Injected: 1'
    assert rendered.headers["Authorization"] == "Bearer t0k&n"
    assert rendered.username == "bob" and rendered.password == "t0k&n"
    assert "t0k&n" in rendered.sensitive_values and "bob" in rendered.sensitive_values


def test_a_missing_secret_stops_rendering():
    webhook = Webhook(method="POST", url="https://ci.example.org", headers={"Authorization": "${user.GONE}"})

    with pytest.raises(rendering.MissingSecret, match="GONE"):
        rendering.request_render(webhook, {}, {})
