"""Calling the endpoint as a Pact client does."""

import json

from apps.pacts_for_verification.metadata import metadata_decode


def for_verification(org, provider: str, body: dict | None = None, *, token: str | None = None):
    return org.client(token=token).post(
        f"/pacts/provider/{provider}/for-verification",
        data=json.dumps(body or {}),
        content_type="application/json",
        HTTP_ACCEPT="application/hal+json",
    )


def pacts(org, provider: str, body: dict | None = None) -> list[dict]:
    response = for_verification(org, provider, body)
    assert response.status_code == 200, response.content
    return response.json()["_embedded"]["pacts"]


def summary(found: list[dict]) -> list[tuple[str, str]]:
    """(pact name, shortDescription) of each pact, in response order."""
    return [(p["_links"]["self"]["name"], p["shortDescription"]) for p in found]


def metadata_of(pact: dict) -> dict:
    return metadata_decode(pact["_links"]["self"]["href"].rsplit("/metadata/", 1)[1])
