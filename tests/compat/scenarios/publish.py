"""POST /contracts/publish: results, notices, conflicts and every validation path (§3.2)."""

from tests.compat.builders import PROBLEM, S, b64, environment, get, pact, pacticipant, post, publish, put_pact, webhook

CONTRACT = {
    "consumerName": "Foo",
    "providerName": "Bar",
    "specification": "pact",
    "contentType": "application/json",
    "content": b64(pact()),
}


def body(**overrides) -> dict:
    document = {
        "pacticipantName": "Foo",
        "pacticipantVersionNumber": "1",
        "branch": "main",
        "contracts": [dict(CONTRACT)],
    }
    document.update(overrides)
    return {k: v for k, v in document.items() if v is not None}


def contract(**overrides) -> dict:
    return {k: v for k, v in {**CONTRACT, **overrides}.items() if v is not None}


SCENARIOS = [
    S("publish-new", publish(branch="main")),
    S("publish-no-branch", publish()),
    S("publish-branch-and-tags", publish(branch="main", tags=["dev", "prod"], build_url="https://ci/1")),
    S("publish-two-providers", publish(providers=("Bar", "Baz"), branch="main")),
    S("publish-same-again", publish(branch="main"), setup=[publish(branch="main")]),
    S("publish-changed-content", publish(branch="main", variant=1), setup=[publish(branch="main")]),
    S("publish-merge", publish(branch="main", variant=1, on_conflict="merge"), setup=[publish(branch="main")]),
    S(
        "publish-existing-verified",
        publish("Foo", "2", branch="main"),
        setup=[
            put_pact(),
            post(
                "/pacts/provider/Bar/consumer/Foo/pact-version/{{sha_Foo_1}}/verification-results",
                {"success": True, "providerApplicationVersion": "10"},
            ),
        ],
    ),
    S("publish-with-webhook", publish(branch="main"), setup=[webhook()]),
    S(
        "publish-with-webhook-other-event",
        publish(branch="main"),
        setup=[webhook(events=[{"name": "provider_verification_published"}])],
    ),
    S("publish-tag-environment", publish(tags=["test"]), setup=[environment("test")]),
    S("publish-near-duplicate-name", publish("foo-service", branch="main"), setup=[pacticipant("FooService")]),
    S("publish-problem-json-success", post("/contracts/publish", body(), PROBLEM)),
    S("publish-missing-everything", post("/contracts/publish", {})),
    S("publish-missing-everything-problem", post("/contracts/publish", {}, PROBLEM)),
    S("publish-missing-pacticipant", post("/contracts/publish", body(pacticipantName=None))),
    S("publish-missing-version", post("/contracts/publish", body(pacticipantVersionNumber=None))),
    S("publish-blank-version", post("/contracts/publish", body(pacticipantVersionNumber=""))),
    S("publish-version-newline", post("/contracts/publish", body(pacticipantVersionNumber="1\n2"))),
    S("publish-blank-branch", post("/contracts/publish", body(branch=""))),
    S("publish-blank-tag", post("/contracts/publish", body(tags=[""]))),
    S("publish-tags-not-list", post("/contracts/publish", body(tags="dev"))),
    S("publish-missing-contracts", post("/contracts/publish", body(contracts=None))),
    S("publish-empty-contracts", post("/contracts/publish", body(contracts=[]))),
    S("publish-contract-missing-fields", post("/contracts/publish", body(contracts=[{}]))),
    S("publish-contract-bad-base64", post("/contracts/publish", body(contracts=[contract(content="%%%")]))),
    S("publish-contract-not-json", post("/contracts/publish", body(contracts=[contract(content="bm90IGpzb24=")]))),
    S("publish-contract-array", post("/contracts/publish", body(contracts=[contract(content=b64([1]))]))),
    S("publish-contract-content-type", post("/contracts/publish", body(contracts=[contract(contentType="text/x")]))),
    S("publish-contract-specification", post("/contracts/publish", body(contracts=[contract(specification="oas")]))),
    S("publish-contract-on-conflict", post("/contracts/publish", body(contracts=[contract(onConflict="nah")]))),
    S(
        "publish-contract-consumer-mismatch",
        post("/contracts/publish", body(contracts=[contract(consumerName="Other")])),
    ),
    S(
        "publish-contract-content-names-mismatch",
        post("/contracts/publish", body(contracts=[contract(content=b64(pact("X", "Y")))])),
    ),
    S(
        "publish-contract-second-invalid",
        post("/contracts/publish", body(contracts=[contract(), contract(providerName=None)])),
    ),
    S("publish-not-json-content-type", post("/contracts/publish", "x", {"Content-Type": "text/plain"})),
    S("publish-invalid-json", post("/contracts/publish", "{nope")),
    S("publish-empty-body", post("/contracts/publish", "")),
    S("publish-non-utf8", post("/contracts/publish", b'{"pacticipantName": "\xff"}')),
    S("publish-non-utf8-problem", post("/contracts/publish", b'{"pacticipantName": "\xff"}', PROBLEM)),
    S("publish-get-not-allowed", get("/contracts/publish")),
]
