"""Bi-directional contract testing: one pact of 100 interactions against an OpenAPI document of 300 operations.

Both documents are generated deterministically (no randomness): 100 resources, each with GET (one,
with path and query parameters), PUT (request and response bodies) and DELETE; schemas use `$ref`,
`allOf`, `nullable`, formats and enums, as real descriptions do. The pact calls GET, PUT and DELETE
across the resources, with bodies, headers and queries; a tenth of its interactions carry a
mismatch, so the failing paths are timed too.

Timed: `compare()` from the description's text, *cold* (nothing cached: parsing, the specification
check, both schema views and the router are built, as for a description the worker has not seen)
and *warm* (the description already prepared, as when a worker compares the same provider contract
with the next consumer's pact). Target (issue 16): under 1 s in the worker.

    python -m bench bdct
"""

import json
import statistics
import time

NAME = "bdct"
TITLE = "Bi-directional contract testing: comparing a pact with an OpenAPI description"
RESOURCES = 100


def description() -> str:
    paths, schemas = (
        {},
        {
            "Audit": {
                "type": "object",
                "properties": {
                    "createdAt": {"type": "string", "format": "date-time"},
                    "createdBy": {"type": "string", "nullable": True},
                },
            }
        },
    )  # noqa: E501
    for n in range(RESOURCES):
        name = f"Thing{n:03d}"
        schemas[name] = {
            "allOf": [
                {"$ref": "#/components/schemas/Audit"},
                {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "name": {"type": "string", "maxLength": 50},
                        "size": {"type": "integer", "minimum": 0, "nullable": True},
                        "state": {"type": "string", "enum": ["new", "used", "gone"]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                },
            ]
        }
        ref = {"$ref": f"#/components/schemas/{name}"}
        body = {"content": {"application/json": {"schema": ref}}}
        paths[f"/things-{n:03d}/{{id}}"] = {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
            ],
            "get": {
                "parameters": [
                    {"name": "fields", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "X-Request-Id", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok", **body}, "404": {"description": "missing"}},
            },
            "put": {
                "requestBody": {"required": True, **body},
                "responses": {"200": {"description": "ok", **body}, "400": {"description": "bad"}},
            },
            "delete": {"responses": {"204": {"description": "gone"}}},
        }
    return json.dumps({"openapi": "3.0.3", "info": {"title": "big", "version": "1"}, "paths": paths,
                       "components": {"schemas": schemas}})  # fmt: skip


def pact() -> dict:
    uuid = "4b0e6a53-3f39-4a5c-9fb1-3c4f1c1d7e2a"
    thing = {
        "id": uuid,
        "name": "a thing",
        "size": None,
        "state": "used",
        "tags": ["x"],
        "createdAt": "2024-05-01T10:00:00Z",
    }  # noqa: E501
    interactions = []
    for i in range(100):
        n = (i * 37) % RESOURCES
        body = dict(thing, **({"colour": "red"} if i % 10 == 9 else {}))  # every tenth: an undocumented field
        if i % 3 == 0:
            request = {"method": "GET", "path": f"/things-{n:03d}/{uuid}", "query": {"fields": ["id,name"]},
                       "headers": {"X-Request-Id": str(i), "Accept": "application/json"}}  # fmt: skip
            response = {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body}
        elif i % 3 == 1:
            request = {
                "method": "PUT",
                "path": f"/things-{n:03d}/{uuid}",
                "headers": {"Content-Type": "application/json"},
                "body": {"id": uuid, "name": "renamed"},
            }
            response = {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body}
        else:
            request = {"method": "DELETE", "path": f"/things-{n:03d}/{uuid}"}
            response = {"status": 204}
        interactions.append({"description": f"interaction {i}", "request": request, "response": response})
    return {"consumer": {"name": "c"}, "provider": {"name": "p"}, "interactions": interactions,
            "metadata": {"pactSpecification": {"version": "3.0.0"}}}  # fmt: skip


def _time(function, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def run() -> str:
    from apps.provider_contracts.comparison import compare
    from apps.provider_contracts.comparison.context import context_build, context_for

    text, document = description(), pact()
    operations = sum(len([k for k in item if k != "parameters"]) for item in json.loads(text)["paths"].values())
    result = compare(document, text)
    planted = sum(1 for i in document["interactions"] if "colour" in json.dumps(i["response"].get("body", {})))

    def cold(check_description: bool):
        def once():
            context_for.cache_clear()
            compare(document, text, check_description=check_description)

        return once

    rows = {"cold, without the conformance check (description prepared from its text)": _time(cold(False), 5)}
    compare(document, text)  # the warm rows start from a prepared, checked description
    rows["warm: description prepared, the next pact (a worker's usual case)"] = _time(
        lambda: compare(document, text), 10
    )
    rows["cold, with the conformance check (openapi-spec-validator, OpenAPI 3.0)"] = _time(cold(True), 3)
    rows["of which: preparing the description (parse, views, router)"] = _time(lambda: context_build(text), 5)
    ms = lambda seconds: f"{seconds * 1000:.0f} ms"  # noqa: E731
    lines = [
        f"Description: {operations} operations ({len(text) // 1024} KB of JSON, `allOf`, `$ref`, `nullable`, "
        f"formats); pact: {len(document['interactions'])} HTTP interactions with bodies, headers and queries. "
        f"Result: {'compatible' if result.compatible else 'incompatible'}, {len(result.errors)} errors "
        f"(the {planted} planted mismatches).\n",
        "| Comparison of the pact with the description | runs | best | median | worst | target |",
        "|---|---|---|---|---|---|",
    ]
    for label, runs in rows.items():
        target = "" if label.startswith("of which") else "< 1 s"
        lines.append(
            f"| {label} | {len(runs)} | {ms(min(runs))} | {ms(statistics.median(runs))} | {ms(max(runs))} | {target} |"
        )
    lines.append(
        "\nThe OpenAPI conformance check (warnings only) is the one costly step and grows with the document "
        "(openapi-spec-validator walks all of it; OpenAPI 3.1 takes several seconds at this size), so it is "
        "cached with the prepared description and can be left out of a comparison "
        "(`compare(..., check_description=False)`) by a caller that checks each description once, at "
        "publication, with `description_problems`."
    )
    return "\n".join(lines)
