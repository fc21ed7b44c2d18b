"""Message pacts and V4 plugin interactions on the contract page (issue 19 item 10): description,
provider states, metadata and contents for V3 and V4 messages; protobuf contents decoded with the
descriptors the pact carries; the plugin's markup rendered without the publisher's HTML; binary
contents without a decoder shown as hex with their content type; matching rules per interaction."""

import html
import json

import pytest
from django_tenants.utils import schema_context

from apps.ui.pact_contents import contents, hex_view
from tests.support.factories import pact_publish
from tests.support.message_pacts import grpc_pact, v3_message_pact, v4_message_pact

pytestmark = pytest.mark.django_db


def page_of(admin, provider: str, consumer: str) -> str:
    response = admin.get(f"/ui/pacts/provider/{provider}/consumer/{consumer}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_v3_message_pact_shows_states_metadata_contents_and_rules(acme, admin):
    with schema_context(acme.schema):
        pact_publish("Shop", "1.0.0", "OrderEvents", content=v3_message_pact("Shop", "OrderEvents"))

    page = page_of(admin, "OrderEvents", "Shop")

    assert '<span class="badge">Message</span> an order created event' in page
    assert 'Given <strong>an order with lines</strong> <code>{\n  "orderId": 42\n}</code>' in page
    assert '<div class="kv-label">Metadata</div>' in page
    assert '<span class="muted">topic:</span> orders.created' in page
    assert '<span class="muted">kafka_partition:</span> 3' in page
    assert '"lines": [\n    {\n      "sku": "A-1",\n      "quantity": 2\n    }\n  ],' in page
    assert "Matching rules (4)" in page
    assert "<td>Message body</td><td><code>$.orderId</code></td><td>integer</td>" in page
    assert "<td>Message metadata</td><td><code>topic</code></td><td>regex (regex ^orders\\.)</td>" in page


def test_v4_asynchronous_and_synchronous_messages_are_unwrapped(acme, admin):
    with schema_context(acme.schema):
        pact_publish("Billing", "2.0.0", "Ledger", content=v4_message_pact("Billing", "Ledger"))

    page = page_of(admin, "Ledger", "Billing")

    assert '<span class="badge">Message</span> an invoice paid event' in page
    assert '<span class="muted">destination:</span> billing.invoices' in page
    assert '<div class="content-type"><code>application/json</code></div>' in page
    assert '{\n  "invoice": "INV-7",\n  "paidAt": "2026-12-01T10:00:00Z"\n}' in page
    assert "<td>timestamp (format yyyy-MM-dd'T'HH:mm:ssX)</td>" in page
    assert '<span class="badge">Synchronous message</span> a balance query' in page
    assert '<span class="muted">replyTo:</span> billing.balance.replies' in page
    assert '{\n  "balance": 120\n}' in page
    assert "<td>Response body</td><td><code>$.balance</code></td><td>number</td>" in page
    assert "Pact specification</dt><dd>4.0</dd>" in page


def test_grpc_contents_are_decoded_with_the_descriptors_in_the_pact(acme, admin):
    with schema_context(acme.schema):
        pact_publish("Checkout", "3.1.0", "OrderService", content=grpc_pact("Checkout", "OrderService"))

    page = page_of(admin, "OrderService", "Checkout")

    assert '<span class="badge">Synchronous message</span> <span class="badge">gRPC</span> get order request' in page
    assert "Plugin: <strong>protobuf (service Orders/GetOrder)</strong>" in page
    assert (
        "<code>application/protobuf;message=GetOrderRequest</code> "
        '<span class="muted">· protobuf message orders.v1.GetOrderRequest, 5 bytes, shown as JSON</span>'
    ) in page
    assert '<pre><code>{\n  "id": "o-1"\n}</code></pre>' in page
    assert (
        '{\n  "id": "o-1",\n  "lines": [\n    {\n      "sku": "A-1",\n      "quantity": 2\n    }\n  ],\n'
        '  "status": "STATUS_SHIPPED",\n  "total": 19.9\n}'
    ) in page
    assert '<span class="muted">grpc-status:</span> OK' in page
    assert "<td>Response metadata</td><td><code>grpc-status</code></td><td>equality</td>" in page
    # A protobuf message on a topic, decoded the same way; the plugin's markup closed beside it.
    assert '{\n  "orderId": "o-1",\n  "carrier": "DHL"\n}' in page
    assert '<details class="markup"><summary>As the protobuf plugin describes it</summary>' in page
    assert '<pre><code class="language-protobuf">message OrderShipped {' in page


def test_binary_contents_without_a_decoder_are_hex_beside_the_markup_and_its_html_is_text(acme, admin):
    with schema_context(acme.schema):
        pact_publish("Checkout", "3.1.0", "Stock", content=grpc_pact("Checkout", "Stock"))

    response = admin.get("/ui/pacts/provider/Stock/consumer/Checkout")
    page = response.content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the markup's HTML, shown as text
    shown = html.unescape(page)
    assert '<details class="markup" open><summary>As the avro plugin describes it</summary>' in shown
    assert "<p><strong>StockLevel</strong> record: <code>sku</code> (string), <code>count</code> (int)</p>" in shown
    assert '<code>avro/binary;record=StockLevel</code> <span class="muted">· 5 bytes, shown as hex</span>' in shown
    assert "00000000  06 41 2d 31 0e" in shown


def test_protobuf_without_its_descriptors_is_hex_with_the_reason(acme, admin):
    with schema_context(acme.schema):
        pact_publish(
            "Checkout", "3.2.0", "OrderService", content=grpc_pact("Checkout", "OrderService", with_descriptors=False)
        )

    page = page_of(admin, "OrderService", "Checkout")

    assert "· 5 bytes, no descriptor in the pact: shown as hex" in page
    assert "00000000  0a 03 6f 2d 31                                   ..o-1" in page
    assert '<details class="markup" open><summary>As the protobuf plugin describes it</summary>' in page


def test_contents_that_do_not_decode_fall_back_without_an_error():
    descriptors = {"k": grpc_pact("A", "B")["metadata"]["plugins"][0]["configuration"]}
    key, entry = next(iter(descriptors["k"].items()))
    wanted = {key: entry["protoDescriptors"]}

    def shown(content: str, content_type: str, found=wanted):
        return contents(
            {"content": content, "contentType": content_type, "encoded": "base64"},
            descriptors=found,
            descriptor_key=key,
        )

    bad_bytes = shown("////", "application/protobuf;message=Order")
    assert bad_bytes.note == "3 bytes, could not be decoded with the pact's descriptor: shown as hex"
    unknown = shown("CgNvLTE=", "application/protobuf;message=Nope")
    assert unknown.note == "5 bytes, could not be decoded with the pact's descriptor: shown as hex"
    broken = shown("CgNvLTE=", "application/protobuf;message=Order", {key: "bm90IGEgZGVzY3JpcHRvcg=="})
    assert broken.text == "00000000  0a 03 6f 2d 31                                   ..o-1"
    assert shown("not base64!", "application/protobuf;message=Order").note == "not valid base64, shown as published"
    as_json = shown("eyJhIjogMX0=", "application/vnd.acme+json")
    assert (as_json.text, as_json.note) == ('{\n  "a": 1\n}', "8 bytes, decoded from base64")
    json_encoded = contents({"content": json.dumps({"b": 2}), "contentType": "application/json", "encoded": "JSON"})
    assert json_encoded.text == '{\n  "b": 2\n}'
    assert hex_view(bytes(range(20))).splitlines()[1] == "00000010  " + "10 11 12 13".ljust(47) + "  ...."


def test_the_outsider_cannot_open_a_message_pact(acme, outsider_admin):
    with schema_context(acme.schema):
        pact_publish("Shop", "1.0.0", "OrderEvents", content=v3_message_pact("Shop", "OrderEvents"))

    response = outsider_admin.get("/ui/pacts/provider/OrderEvents/consumer/Shop")

    assert response.status_code == 404
