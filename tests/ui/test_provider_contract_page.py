"""The provider contract page: operations, self-verification report, and each consumer's comparison
with its mismatches at their interaction and OpenAPI path."""

import pytest

from apps.provider_contracts import queueing
from tests.provider_contracts.support import pact_publish_via_api, pets_pact, provider_contract_post, publish_body
from tests.ui.conftest import signed_in

PAGE = "/ui/provider-contracts/provider/Pets/version/1"


@pytest.fixture
def compared(acme, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(queueing, "queue_or_run", queueing.task_run)
    client = acme.client()
    with django_capture_on_commit_callbacks(execute=True):
        pact_publish_via_api(client, pets_pact("Web"), consumer="Web")
    with django_capture_on_commit_callbacks(execute=True):
        pact_publish_via_api(client, pets_pact("Mobile", colour=True), consumer="Mobile")
    with django_capture_on_commit_callbacks(execute=True):
        provider_contract_post(client, publish_body(version="1"))
    return acme


def test_the_page_shows_operations_the_report_and_each_consumers_mismatches(compared):
    response = signed_in(compared, compared.admin).get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<code>/pets/{id}</code>" in html
    assert "2 passing" in html  # the self-verification report
    assert "Not compatible" in html and "Compatible" in html
    assert "<h4>a request for pet 1</h4>" in html
    assert "In the pact at <code>interactions[0].response.body</code>" in html
    assert "in the OpenAPI description at <code>GET /pets/{id} 200</code>" in html
    assert "The response body has &#x27;colour&#x27;, which the provider&#x27;s schema does not document" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline scripts (CSP)


def test_an_unknown_version_is_a_404_and_the_outsider_sees_nothing(compared, outsider):
    client = signed_in(compared, compared.admin)

    assert client.get("/ui/provider-contracts/provider/Pets/version/9").status_code == 404
    assert signed_in(outsider, outsider.admin).get(PAGE).status_code == 404
    assert compared.browser().get(PAGE, HTTP_ACCEPT="text/html").status_code == 302
