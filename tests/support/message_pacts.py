"""Message pacts and V4 plugin pacts as the Pact libraries and the pact-protobuf-plugin write them,
for the contract page (issue 19 item 10).

- `v3_message_pact`: pact-js / pact-jvm V3 `messages` (providerStates with params, metadata with a
  Kafka topic and content type, matching rules on body and metadata).
- `v4_message_pact`: V4 `Asynchronous/Messages` (JSON contents in V4's wrapper) and a
  `Synchronous/Messages` request/response pair.
- `grpc_pact`: what pact-protobuf-plugin 0.3/0.4 writes for a gRPC call and a protobuf message:
  `pluginConfiguration.protobuf` with the descriptor key and service, `interactionMarkup` in
  CommonMark, base64 `application/protobuf;message=…` contents, and the FileDescriptorSet in
  `metadata.plugins[name=protobuf].configuration[<md5 of the proto file>].protoDescriptors`.
  The descriptors and contents are built here with the `protobuf` library from the proto file below,
  so the bytes are genuine protobuf; plus one Avro message (no decoder: shown as hex with the markup).
"""

import base64
import hashlib

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

PROTO_FILE = """syntax = "proto3";

package orders.v1;

service Orders {
  rpc GetOrder (GetOrderRequest) returns (Order) {}
}

enum Status {
  STATUS_UNKNOWN = 0;
  STATUS_PLACED = 1;
  STATUS_SHIPPED = 2;
}

message GetOrderRequest {
  string id = 1;
}

message Line {
  string sku = 1;
  int32 quantity = 2;
}

message Order {
  string id = 1;
  repeated Line lines = 2;
  Status status = 3;
  double total = 4;
}

message OrderShipped {
  string order_id = 1;
  string carrier = 2;
}
"""

DESCRIPTOR_KEY = hashlib.md5(PROTO_FILE.encode()).hexdigest()  # the plugin keys descriptors by the file's MD5


def _field(name, number, kind, *, label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL, type_name=None):
    camel = name.split("_")[0] + "".join(p.title() for p in name.split("_")[1:])
    found = descriptor_pb2.FieldDescriptorProto(name=name, number=number, type=kind, label=label, json_name=camel)
    if type_name:
        found.type_name = type_name
    return found


def _file() -> descriptor_pb2.FileDescriptorProto:
    f = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="orders.proto", package="orders.v1", syntax="proto3")
    status = proto.enum_type.add(name="Status")
    for number, name in enumerate(("STATUS_UNKNOWN", "STATUS_PLACED", "STATUS_SHIPPED")):
        status.value.add(name=name, number=number)
    proto.message_type.add(name="GetOrderRequest").field.append(_field("id", 1, f.TYPE_STRING))
    proto.message_type.add(name="Line").field.extend(
        [_field("sku", 1, f.TYPE_STRING), _field("quantity", 2, f.TYPE_INT32)]
    )
    proto.message_type.add(name="Order").field.extend(
        [
            _field("id", 1, f.TYPE_STRING),
            _field("lines", 2, f.TYPE_MESSAGE, label=f.LABEL_REPEATED, type_name=".orders.v1.Line"),
            _field("status", 3, f.TYPE_ENUM, type_name=".orders.v1.Status"),
            _field("total", 4, f.TYPE_DOUBLE),
        ]
    )
    proto.message_type.add(name="OrderShipped").field.extend(
        [_field("order_id", 1, f.TYPE_STRING), _field("carrier", 2, f.TYPE_STRING)]
    )
    service = proto.service.add(name="Orders")
    service.method.add(name="GetOrder", input_type=".orders.v1.GetOrderRequest", output_type=".orders.v1.Order")
    return proto


def descriptor_set() -> str:
    return base64.b64encode(descriptor_pb2.FileDescriptorSet(file=[_file()]).SerializeToString()).decode()


def _encoded(message: str, values: dict) -> str:
    pool = descriptor_pool.DescriptorPool()
    pool.Add(_file())
    cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(f"orders.v1.{message}"))
    return base64.b64encode(cls(**values).SerializeToString()).decode()


def _rule(match: str, **extra) -> dict:
    return {"combine": "AND", "matchers": [{"match": match, **extra}]}


def _protobuf(message: str, values: dict) -> dict:
    return {
        "content": _encoded(message, values),
        "contentType": f"application/protobuf;message={message}",
        "contentTypeHint": "BINARY",
        "encoded": "base64",
    }


def v3_message_pact(consumer: str, provider: str) -> dict:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "messages": [
            {
                "description": "an order created event",
                "providerStates": [{"name": "an order with lines", "params": {"orderId": 42}}],
                "contents": {"orderId": 42, "lines": [{"sku": "A-1", "quantity": 2}], "total": 19.9},
                "metadata": {"contentType": "application/json", "topic": "orders.created", "kafka_partition": 3},
                "matchingRules": {
                    "body": {
                        "$.orderId": _rule("integer"),
                        "$.lines": _rule("type", min=1),
                        "$.total": _rule("decimal"),
                    },
                    "metadata": {"topic": _rule("regex", regex="^orders\\.")},
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}, "pactJs": {"version": "12.1.0"}},
    }


def v4_message_pact(consumer: str, provider: str) -> dict:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Asynchronous/Messages",
                "key": "5c1e4bd2",
                "description": "an invoice paid event",
                "providerStates": [{"name": "invoice INV-7 is open"}],
                "contents": {
                    "content": {"invoice": "INV-7", "paidAt": "2026-12-01T10:00:00Z"},
                    "contentType": "application/json",
                    "encoded": False,
                },
                "metadata": {"contentType": "application/json", "destination": "billing.invoices"},
                "matchingRules": {"body": {"$.paidAt": _rule("timestamp", format="yyyy-MM-dd'T'HH:mm:ssX")}},
                "pending": False,
            },
            {
                "type": "Synchronous/Messages",
                "key": "9a0d7e31",
                "description": "a balance query",
                "request": {
                    "contents": {"content": {"account": "acc-1"}, "contentType": "application/json", "encoded": False},
                    "metadata": {"replyTo": "billing.balance.replies"},
                },
                "response": [
                    {
                        "contents": {"content": {"balance": 120}, "contentType": "application/json", "encoded": False},
                        "matchingRules": {"body": {"$.balance": _rule("number")}},
                    }
                ],
            },
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}, "pactRust": {"ffi": "0.4.22", "models": "1.2.5"}},
    }


def grpc_pact(consumer: str, provider: str, *, with_descriptors: bool = True) -> dict:
    markup_request = "```protobuf\nmessage GetOrderRequest {\n    string id = 1;\n}\n```\n"
    markup_response = (
        "```protobuf\nmessage Order {\n    string id = 1;\n    repeated message .orders.v1.Line lines = 2;\n"
        "    enum .orders.v1.Status status = 3;\n    double total = 4;\n}\n```\n"
    )
    plugin = {"protobuf": {"descriptorKey": DESCRIPTOR_KEY, "service": "Orders/GetOrder"}}
    pact = {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/Messages",
                "key": "c7fbe3ee",
                "description": "get order request",
                "providerStates": [{"name": "order o-1 exists"}],
                "pending": False,
                "transport": "grpc",
                "pluginConfiguration": plugin,
                "interactionMarkup": {"markup": markup_request + "\n" + markup_response, "markupType": "COMMON_MARK"},
                "request": {
                    "contents": _protobuf("GetOrderRequest", {"id": "o-1"}),
                    "metadata": {"contentType": "application/protobuf;message=GetOrderRequest"},
                    "matchingRules": {"body": {"$.id": _rule("regex", regex="^o-\\d+$")}},
                },
                "response": [
                    {
                        "contents": _protobuf(
                            "Order",
                            {"id": "o-1", "lines": [{"sku": "A-1", "quantity": 2}], "status": 2, "total": 19.9},
                        ),
                        "metadata": {"contentType": "application/protobuf;message=Order", "grpc-status": "OK"},
                        "matchingRules": {
                            "body": {"$.lines": _rule("type", min=1), "$.total": _rule("number")},
                            "metadata": {"grpc-status": _rule("equality")},
                        },
                    }
                ],
            },
            {
                "type": "Asynchronous/Messages",
                "key": "0b6f21aa",
                "description": "an order shipped event",
                "pending": False,
                "pluginConfiguration": {"protobuf": {"descriptorKey": DESCRIPTOR_KEY, "message": "OrderShipped"}},
                "interactionMarkup": {
                    "markup": "```protobuf\nmessage OrderShipped {\n    string order_id = 1;\n    string carrier = 2;\n}\n```\n",
                    "markupType": "COMMON_MARK",
                },
                "contents": _protobuf("OrderShipped", {"order_id": "o-1", "carrier": "DHL"}),
                "metadata": {"contentType": "application/protobuf;message=OrderShipped", "topic": "orders.shipped"},
                "matchingRules": {"body": {"$.carrier": _rule("type")}},
            },
            {
                "type": "Asynchronous/Messages",
                "key": "e4a9c0d1",
                "description": "a stock level record",
                "pending": False,
                "pluginConfiguration": {"avro": {"record": "StockLevel"}},
                "interactionMarkup": {
                    "markup": "**StockLevel** record: `sku` (string), `count` (int)\n\n<script>alert(1)</script>\n",
                    "markupType": "COMMON_MARK",
                },
                "contents": {
                    "content": base64.b64encode(b"\x06A-1\x0e").decode(),
                    "contentType": "avro/binary;record=StockLevel",
                    "contentTypeHint": "BINARY",
                    "encoded": "base64",
                },
                "metadata": {"contentType": "avro/binary;record=StockLevel", "topic": "stock.levels"},
            },
        ],
        "metadata": {
            "pactRust": {"consumer": "1.2.5", "models": "1.2.5"},
            "pactSpecification": {"version": "4.0"},
            "plugins": [
                {
                    "configuration": {DESCRIPTOR_KEY: {"protoDescriptors": descriptor_set(), "protoFile": PROTO_FILE}},
                    "name": "protobuf",
                    "version": "0.4.0",
                },
                {"configuration": {}, "name": "avro", "version": "0.0.6"},
            ],
        },
    }
    if not with_descriptors:
        pact["metadata"]["plugins"] = []
    return pact
