"""Pacts: PUT/PATCH/GET/DELETE, the latest variants, lists, diffs, provider pacts (§2.7, §3.1)."""

from tests.compat.builders import (
    HTML,
    JSON,
    PROBLEM,
    TEXT,
    S,
    delete,
    get,
    pact,
    patch,
    publish,
    put,
    put_pact,
    tag,
    world,
)

BASE = "/pacts/provider/Bar/consumer/Foo"
EXTENDED = {"Accept": "application/vnd.pactbrokerextended.v1+json"}


def history():
    """Foo 1 (main, prod), 2 (feat, changed content), 3 (untagged, content of 1)."""
    return [
        publish("Foo", "1", branch="main", tags=["prod"]),
        publish("Foo", "2", branch="feat", tags=["feat"], variant=1),
        put_pact("Foo", "Bar", "3"),
        put_pact("Foo", "Bar", "1"),
        put_pact("Foo", "Bar", "2", variant=1),
    ]


SCENARIOS = [
    S("pact-put-new", put_pact()),
    S("pact-put-same", put_pact(), setup=[put_pact()]),
    S("pact-put-changed", put_pact(variant=1), setup=[put_pact()]),
    S("pact-put-empty-body", put(f"{BASE}/version/1", "")),
    S("pact-put-invalid-json", put(f"{BASE}/version/1", "{nope")),
    S("pact-put-consumer-mismatch", put(f"{BASE}/version/1", pact("Other", "Bar"))),
    S("pact-put-provider-mismatch", put(f"{BASE}/version/1", pact("Foo", "Other"))),
    S("pact-put-both-mismatch", put(f"{BASE}/version/1", pact("X", "Y"))),
    S("pact-put-not-a-pact", put(f"{BASE}/version/1", {"some": "json"}), get(f"{BASE}/version/1")),
    S("pact-put-array", put(f"{BASE}/version/1", [1, 2, 3])),
    S("pact-put-wrong-content-type", put(f"{BASE}/version/1", "x", {"Content-Type": "text/plain"})),
    S("pact-put-mismatch-problem", put(f"{BASE}/version/1", pact("Other", "Bar"), PROBLEM)),
    S("pact-put-names-with-spaces", put_pact("Foo App", "Bar Api")),
    S(
        "pact-put-near-duplicate-provider",
        put_pact("Foo", "bar-service", content=pact("Foo", "bar-service")),
        setup=[put_pact()],
    ),
    S("pact-get", get(f"{BASE}/version/1"), setup=[put_pact()]),
    S("pact-get-json", get(f"{BASE}/version/1", JSON), setup=[put_pact()]),
    S("pact-get-extended", get(f"{BASE}/version/1", EXTENDED), setup=[put_pact(), tag("Foo", "1", "prod")]),
    S("pact-get-html", get(f"{BASE}/version/1", HTML, body_mode="none"), setup=[put_pact()]),
    S("pact-get-with-world", get(f"{BASE}/version/1"), setup=world()),
    S("pact-get-missing-version", get(f"{BASE}/version/9"), setup=[put_pact()]),
    S("pact-get-missing-consumer", get("/pacts/provider/Bar/consumer/Nope/version/1"), setup=[put_pact()]),
    S("pact-get-missing-provider", get("/pacts/provider/Nope/consumer/Foo/version/1"), setup=[put_pact()]),
    S("pact-get-missing-all", get(f"{BASE}/version/1")),
    S("pact-get-missing-problem", get(f"{BASE}/version/1", PROBLEM)),
    S("pact-get-alias-versions", get(f"{BASE}/versions/1"), setup=[put_pact()]),
    S("pact-get-alias-singular", get("/pact/provider/Bar/consumer/Foo/version/1"), setup=[put_pact()]),
    S("pact-get-case-mismatch", get("/pacts/provider/bar/consumer/foo/version/1"), setup=[put_pact()]),
    S("pact-get-by-sha", get(BASE + "/pact-version/{{sha_Foo_1}}"), setup=history()),
    S("pact-get-by-sha-missing", get(f"{BASE}/pact-version/{'0' * 40}"), setup=[put_pact()]),
    S("pact-latest", get(f"{BASE}/latest"), setup=history()),
    S("pact-latest-missing", get(f"{BASE}/latest")),
    S("pact-latest-tag", get(f"{BASE}/latest/prod"), setup=history()),
    S("pact-latest-tag-missing", get(f"{BASE}/latest/nope"), setup=history()),
    S("pact-latest-untagged", get(f"{BASE}/latest-untagged"), setup=history()),
    S("pact-latest-branch", get(f"{BASE}/branch/main/latest"), setup=history()),
    S("pact-latest-branch-missing", get(f"{BASE}/branch/nope/latest"), setup=history()),
    S("pact-versions", get(f"{BASE}/versions"), setup=history()),
    S("pact-versions-missing", get("/pacts/provider/Bar/consumer/Nope/versions")),
    S("pact-versions-tag", get(f"{BASE}/tag/prod"), setup=history()),
    S("pact-versions-tag-missing", get(f"{BASE}/tag/nope"), setup=history()),
    S("pact-versions-branch", get(f"{BASE}/branch/main"), setup=history()),
    S("pact-versions-branch-latest", get(f"{BASE}/branch/feat/latest/versions"), setup=history()),
    S(
        "pact-versions-main-branch",
        get(f"{BASE}/branch/versions"),
        setup=[put("/pacticipants/Foo", {"mainBranch": "main"})] + history(),
    ),
    S(
        "pact-versions-main-branch-latest",
        get(f"{BASE}/branch/latest/versions"),
        setup=[put("/pacticipants/Foo", {"mainBranch": "main"})] + history(),
    ),
    S("provider-pacts", get("/pacts/provider/Bar"), setup=history()),
    S("provider-pacts-missing", get("/pacts/provider/Nope")),
    S("provider-pacts-tag", get("/pacts/provider/Bar/tag/prod"), setup=history()),
    S("provider-pacts-latest", get("/pacts/provider/Bar/latest"), setup=history()),
    S("provider-pacts-latest-tag", get("/pacts/provider/Bar/latest/prod"), setup=history()),
    S("provider-pacts-branch", get("/pacts/provider/Bar/branch/main"), setup=history()),
    S("provider-pacts-branch-latest", get("/pacts/provider/Bar/branch/main/latest"), setup=history()),
    S("provider-pacts-main-branch", get("/pacts/provider/Bar/branch"), setup=history()),
    S("provider-pacts-main-branch-latest", get("/pacts/provider/Bar/branch/latest"), setup=history()),
    S("previous-distinct", get(f"{BASE}/version/3/previous-distinct"), setup=history()),
    S("previous-distinct-none", get(f"{BASE}/version/1/previous-distinct"), setup=history()),
    S("diff-previous-distinct", get(f"{BASE}/version/2/diff/previous-distinct", TEXT), setup=history()),
    S("diff-previous-distinct-hal", get(f"{BASE}/version/2/diff/previous-distinct"), setup=history()),
    S("diff-versions", get(f"{BASE}/version/2/diff/version/1", TEXT), setup=history()),
    S("diff-versions-missing", get(f"{BASE}/version/2/diff/version/9", TEXT), setup=history()),
    S(
        "diff-pact-versions",
        get(BASE + "/pact-version/{{sha_Foo_2}}/diff/pact-version/{{sha_Foo_1}}", TEXT),
        setup=history(),
    ),
    S("pact-patch-merge-new", patch(f"{BASE}/version/1", pact())),
    S(
        "pact-patch-merge-adds",
        patch(
            f"{BASE}/version/1",
            {
                **pact(),
                "interactions": [
                    {
                        "description": "another",
                        "request": {"method": "GET", "path": "/other"},
                        "response": {"status": 204},
                    }
                ],
            },
        ),
        setup=[put_pact()],
    ),
    S(
        "pact-patch-merge-conflict",
        patch(
            f"{BASE}/version/1",
            pact(variant=0)
            | {
                "interactions": [
                    {
                        "description": "a request for things 0",
                        "providerState": "things exist",
                        "request": {"method": "POST", "path": "/things/0"},
                        "response": {"status": 200},
                    }
                ]
            },
        ),
        setup=[put_pact()],
    ),
    S("pact-patch-name-mismatch", patch(f"{BASE}/version/1", pact("Other", "Bar")), setup=[put_pact()]),
    S("pact-delete", delete(f"{BASE}/version/1"), get(f"{BASE}/version/1"), setup=[put_pact()]),
    S("pact-delete-with-previous", delete(f"{BASE}/version/2"), setup=[put_pact(version="1"), put_pact(version="2")]),
    S("pact-delete-missing", delete(f"{BASE}/version/1")),
    S("pact-versions-delete", delete(f"{BASE}/versions"), get(f"{BASE}/latest"), setup=history()),
    S("pact-versions-delete-missing", delete("/pacts/provider/Bar/consumer/Nope/versions")),
    S("pact-versions-tag-delete", delete(f"{BASE}/tag/prod"), get(f"{BASE}/latest/prod"), setup=history()),
    S("pact-versions-branch-delete", delete(f"{BASE}/branch/feat"), setup=history()),
    S("pact-versions-branch-delete-unknown", delete(f"{BASE}/branch/nope"), setup=history()),
    S(
        "provider-states",
        get("/pacts/provider/Bar/provider-states"),
        setup=[put("/pacticipants/Foo", {"mainBranch": "main"})] + history(),
    ),
    S("provider-states-branch", get("/pacts/provider/Bar/provider-states/branch/main"), setup=history()),
    S("provider-states-missing", get("/pacts/provider/Nope/provider-states")),
    S("pact-badge", get(f"{BASE}/latest/badge", {"Accept": "image/svg+xml"}, body_mode="none"), setup=history()),
    S("pact-badge-missing", get(f"{BASE}/latest/badge", {"Accept": "image/svg+xml"}, body_mode="none")),
    S("pact-webhooks-list-empty", get(f"{BASE}/webhooks"), setup=[put_pact()]),
    S("pact-webhooks-status", get(f"{BASE}/webhooks/status"), setup=[put_pact()]),
    S("pact-triggered-webhooks", get(f"{BASE}/version/1/triggered-webhooks"), setup=[put_pact()]),
]
