"""Pact fixtures and request helpers for the pacts, verifications and e2e tests."""

import base64
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pacts"


def pact_fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def pact_put(client, doc, *, consumer="Foo", provider="Bar", version="1.0.0", method="put"):
    path = f"/pacts/provider/{provider}/consumer/{consumer}/version/{version}"
    return getattr(client, method)(path, data=json.dumps(doc), content_type="application/json")


def contract(doc, *, consumer="Foo", provider="Bar", **extra) -> dict:
    return {
        "consumerName": consumer,
        "providerName": provider,
        "specification": "pact",
        "contentType": "application/json",
        "content": base64.b64encode(json.dumps(doc).encode()).decode(),
        **extra,
    }


def contracts_post(client, *contracts, pacticipant="Foo", version="1.0.0", **fields):
    body = {"pacticipantName": pacticipant, "pacticipantVersionNumber": version, "contracts": list(contracts), **fields}
    return client.post("/contracts/publish", data=json.dumps(body), content_type="application/json")


def verification_post(client, pact_body: dict, *, success=True, provider_version="2.0.0", **fields):
    href = pact_body["_links"]["pb:publish-verification-results"]["href"]
    body = {"success": success, "providerApplicationVersion": provider_version, **fields}
    return client.post(href, data=json.dumps(body), content_type="application/json")
