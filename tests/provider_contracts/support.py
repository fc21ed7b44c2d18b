"""An OpenAPI description and pacts for the provider contract tests (a small pet store)."""

import base64
import json

PETS_OPENAPI = """openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: integer}
                  name: {type: string}
"""

PETS_OPENAPI_WITH_COLOUR = PETS_OPENAPI.replace(
    "                  name: {type: string}\n",
    "                  name: {type: string}\n                  colour: {type: string}\n",
)


def pets_pact(consumer: str = "Web", provider: str = "Pets", *, colour: bool = False) -> dict:
    body = {"id": 1, "name": "Rex"}
    if colour:
        body["colour"] = "brown"
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": "a request for pet 1",
                "request": {"method": "GET", "path": "/pets/1"},
                "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body},
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def publish_body(
    *, version="1.0.0", content=PETS_OPENAPI, success=True, branch="main", tags=("dev",), **contract_extra
) -> dict:
    results = {
        "success": success,
        "content": b64("2 passing"),
        "contentType": "text/plain",
        "format": "text",
        "verifier": "schemathesis",
        "verifierVersion": "3.0",
    }
    return {
        "pacticipantVersionNumber": version,
        "tags": list(tags),
        "branch": branch,
        "buildUrl": "http://build/1",
        "contract": {
            "content": b64(content),
            "contentType": "application/yaml",
            "specification": "oas",
            "selfVerificationResults": results,
            **contract_extra,
        },
    }


def provider_contract_post(client, body: dict, provider: str = "Pets"):
    return client.post(
        f"/provider-contracts/provider/{provider}/publish",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/hal+json, application/problem+json",
    )


def pact_publish_via_api(client, doc: dict, *, consumer="Web", provider="Pets", version="1.0.0", branch="main"):
    body = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": version,
        "branch": branch,
        "contracts": [
            {
                "consumerName": consumer,
                "providerName": provider,
                "specification": "pact",
                "contentType": "application/json",
                "content": b64(json.dumps(doc)),
            }
        ],
    }
    return client.post("/contracts/publish", data=json.dumps(body), content_type="application/json")
