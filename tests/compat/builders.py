"""Small builders for scenario steps: the requests a Pact client makes, with captures named after
what they capture (`sha_<consumer>_<version>`, `env_<name>`, `deployed_<pacticipant>_<version>`,
`released_<pacticipant>_<version>`, `webhook`...)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

from tests.compat.harness import Scenario, Step

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
PROBLEM = {"Accept": "application/problem+json"}
TEXT = {"Accept": "text/plain"}
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def q(name: str) -> str:
    return quote(name, safe="")


def get(path: str, headers: dict | None = None, **kw) -> Step:
    return Step("GET", path, headers=headers or {}, **kw)


def delete(path: str, headers: dict | None = None, **kw) -> Step:
    return Step("DELETE", path, headers=headers or {}, **kw)


def post(path: str, body=None, headers: dict | None = None, **kw) -> Step:
    return Step("POST", path, body=body, headers=headers or {}, **kw)


def put(path: str, body=None, headers: dict | None = None, **kw) -> Step:
    return Step("PUT", path, body=body, headers=headers or {}, **kw)


def patch(path: str, body=None, headers: dict | None = None, **kw) -> Step:
    return Step("PATCH", path, body=body, headers=headers or {}, **kw)


def S(id: str, *steps: Step, setup: list[Step] | tuple = (), doc: str = "") -> Scenario:  # noqa: N802
    return Scenario(id=id, steps=list(steps), setup=list(setup), doc=doc)


# ---------------------------------------------------------------------------------------------
# Data


def pact(
    consumer: str = "Foo",
    provider: str = "Bar",
    variant: int = 0,
    *,
    interactions: int = 1,
    state: str = "things exist",
) -> dict:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": f"a request for things {i}",
                "providerState": state,
                "request": {"method": "GET", "path": f"/things/{i}"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"things": [variant, i]},
                },
            }
            for i in range(interactions)
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def b64(document) -> str:
    return base64.b64encode(json.dumps(document).encode()).decode()


def pacticipant(name: str, **fields) -> Step:
    return post("/pacticipants", {"name": name, **fields})


def put_pact(
    consumer: str = "Foo", provider: str = "Bar", version: str = "1", content=None, variant: int = 0, **kw
) -> Step:
    body = content if content is not None else pact(consumer, provider, variant)
    return put(
        f"/pacts/provider/{q(provider)}/consumer/{q(consumer)}/version/{q(version)}",
        body,
        capture={f"sha_{consumer}_{version}": "_links.pb:pact-version.name"},
        **kw,
    )


def publish(
    consumer: str = "Foo",
    version: str = "1",
    providers=("Bar",),
    *,
    branch: str | None = None,
    tags=(),
    variant: int = 0,
    build_url: str | None = None,
    on_conflict: str | None = None,
) -> Step:
    body: dict = {"pacticipantName": consumer, "pacticipantVersionNumber": version}
    if branch:
        body["branch"] = branch
    if tags:
        body["tags"] = list(tags)
    if build_url:
        body["buildUrl"] = build_url
    contracts = []
    for provider in providers:
        contract = {
            "consumerName": consumer,
            "providerName": provider,
            "specification": "pact",
            "contentType": "application/json",
            "content": b64(pact(consumer, provider, variant)),
        }
        if on_conflict:
            contract["onConflict"] = on_conflict
        contracts.append(contract)
    body["contracts"] = contracts
    return post("/contracts/publish", body)


def tag(pacticipant: str, version: str, name: str) -> Step:
    return put(f"/pacticipants/{q(pacticipant)}/versions/{q(version)}/tags/{q(name)}", {})


def branch(pacticipant: str, version: str, name: str) -> Step:
    return put(f"/pacticipants/{q(pacticipant)}/branches/{q(name)}/versions/{q(version)}", {})


def label(pacticipant: str, name: str) -> Step:
    return put(f"/pacticipants/{q(pacticipant)}/labels/{q(name)}", {})


def environment(name: str, production: bool = False, **fields) -> Step:
    return post("/environments", {"name": name, "production": production, **fields}, capture={f"env_{name}": "uuid"})


def deploy(pacticipant: str, version: str, env: str, instance: str | None = None) -> Step:
    body = {"applicationInstance": instance} if instance else None
    return post(
        f"/pacticipants/{q(pacticipant)}/versions/{q(version)}/deployed-versions/environment/{{{{env_{env}}}}}",
        body if body is not None else {},
        capture={f"deployed_{pacticipant}_{version}": "uuid"},
    )


def release(pacticipant: str, version: str, env: str) -> Step:
    return post(
        f"/pacticipants/{q(pacticipant)}/versions/{q(version)}/released-versions/environment/{{{{env_{env}}}}}",
        {},
        capture={f"released_{pacticipant}_{version}": "uuid"},
    )


def verify(
    consumer: str = "Foo",
    consumer_version: str = "1",
    provider: str = "Bar",
    provider_version: str = "10",
    success: bool = True,
    **fields,
) -> Step:
    body = {"success": success, "providerApplicationVersion": provider_version, **fields}
    return post(
        f"/pacts/provider/{q(provider)}/consumer/{q(consumer)}/pact-version/"
        f"{{{{sha_{consumer}_{consumer_version}}}}}/verification-results",
        body,
        capture={f"verification_{consumer}_{consumer_version}": "_links.self.href|last"},
    )


def webhook_body(**overrides) -> dict:
    body = {
        "description": "a webhook",
        "events": [{"name": "contract_content_changed"}],
        "request": {
            "method": "POST",
            "url": "https://example.org/hook",
            "headers": {"Content-Type": "application/json"},
            "body": {"a": "b"},
        },
    }
    body.update(overrides)
    return body


def webhook(path: str = "/webhooks", **overrides) -> Step:
    return post(path, webhook_body(**overrides), capture={"webhook": "_links.self.href|last"})


# A small world most read scenarios start from: Foo (consumer) 1 on main tagged dev, pact with Bar,
# verified by Bar 10 on main; Bar 10 deployed to test, environments test and production.
def world() -> list[Step]:
    return [
        environment("test"),
        environment("production", True),
        publish("Foo", "1", branch="main", tags=["dev"]),
        put_pact("Foo", "Bar", "1"),
        branch("Bar", "10", "main"),
        verify("Foo", "1", "Bar", "10"),
        deploy("Bar", "10", "test"),
    ]
