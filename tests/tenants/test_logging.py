"""Log lines are JSON objects carrying the tenant and the request id."""

import json

import pytest


@pytest.mark.django_db
def test_a_log_line_in_a_tenant_request_names_the_tenant_and_request(acme, json_log):
    acme.browser().get("/no-such-page", HTTP_X_REQUEST_ID="req-42")

    [line] = [json.loads(raw) for raw in json_log.getvalue().splitlines()]
    assert line["tenant"] == "acme"
    assert line["request_id"] == "req-42"
    assert line["level"] == "WARNING"
    assert "Not Found" in line["message"]


@pytest.mark.django_db
def test_a_malformed_request_id_is_replaced(acme, json_log):
    response = acme.browser().get("/no-such-page", HTTP_X_REQUEST_ID="bad id\nwith newline")

    [line] = [json.loads(raw) for raw in json_log.getvalue().splitlines()]
    assert line["request_id"] == response["X-Request-ID"]
    assert "\n" not in line["request_id"] and len(line["request_id"]) == 32
