"""Verification results (§2.8, §4)."""

from tests.compat.builders import PROBLEM, S, branch, delete, get, post, publish, put_pact, tag, verify, world

BASE = "/pacts/provider/Bar/consumer/Foo"
RESULTS = BASE + "/pact-version/{{sha_Foo_1}}/verification-results"
ONE = RESULTS + "/{{verification_Foo_1}}"

SCENARIOS = [
    S("verification-publish", verify(), setup=[put_pact()]),
    S("verification-publish-failed", verify(success=False), setup=[put_pact()]),
    S(
        "verification-publish-full",
        verify(
            buildUrl="https://ci/9",
            testResults=[{"interactionDescription": "a request for things 0", "success": True}],
            verifiedBy={"implementation": "Pact-Rust", "version": "1.0"},
        ),
        setup=[put_pact()],
    ),
    S(
        "verification-publish-existing-provider-version",
        verify(),
        setup=[put_pact(), branch("Bar", "10", "main"), tag("Bar", "10", "prod")],
    ),
    S("verification-publish-missing-success", post(RESULTS, {"providerApplicationVersion": "10"}), setup=[put_pact()]),
    S("verification-publish-missing-version", post(RESULTS, {"success": True}), setup=[put_pact()]),
    S(
        "verification-publish-blank-version",
        post(RESULTS, {"success": True, "providerApplicationVersion": ""}),
        setup=[put_pact()],
    ),
    S(
        "verification-publish-success-not-bool",
        post(RESULTS, {"success": "yes", "providerApplicationVersion": "1"}),
        setup=[put_pact()],
    ),
    S(
        "verification-publish-bad-build-url",
        post(RESULTS, {"success": True, "providerApplicationVersion": "1", "buildUrl": "not a url"}),
        setup=[put_pact()],
    ),
    S("verification-publish-invalid-problem", post(RESULTS, {}, PROBLEM), setup=[put_pact()]),
    S(
        "verification-publish-unknown-sha",
        post(
            f"{BASE}/pact-version/{'0' * 40}/verification-results", {"success": True, "providerApplicationVersion": "1"}
        ),
        setup=[put_pact()],
    ),
    S(
        "verification-publish-unknown-pacticipants",
        post(
            f"/pacts/provider/Nope/consumer/Foo/pact-version/{'0' * 40}/verification-results",
            {"success": True, "providerApplicationVersion": "1"},
        ),
    ),
    S(
        "verification-latest-after-two",
        get(f"{BASE}/latest"),
        get(f"{BASE}/latest/verification-results/latest"),
        setup=[put_pact(), verify(), verify(provider_version="11", success=False)],
    ),
    S("verification-get", get(ONE), setup=[put_pact(), verify()]),
    S(
        "verification-get-extended",
        get(ONE, {"Accept": "application/vnd.pactbrokerextended.v1+json"}),
        setup=[put_pact(), tag("Bar", "10", "prod"), verify()],
    ),
    S("verification-get-missing", get(RESULTS + "/999999"), setup=[put_pact(), verify()]),
    S("verification-get-all", get(RESULTS + "/all"), setup=[put_pact(), verify()]),
    S(
        "verification-latest-by-sha",
        get(RESULTS + "/latest"),
        setup=[put_pact(), verify(), verify(provider_version="11")],
    ),
    S("verification-latest-by-sha-none", get(RESULTS + "/latest"), setup=[put_pact()]),
    S(
        "verification-latest-by-version",
        get(f"{BASE}/version/1/verification-results/latest"),
        setup=[put_pact(), verify()],
    ),
    S("verification-latest-by-latest", get(f"{BASE}/latest/verification-results/latest"), setup=[put_pact(), verify()]),
    S(
        "verification-latest-by-tag",
        get(f"{BASE}/latest/dev/verification-results/latest"),
        setup=[publish(tags=["dev"]), put_pact(), verify()],
    ),
    S("verification-delete", delete(ONE), get(ONE), setup=[put_pact(), verify()]),
    S("verification-delete-missing", delete(RESULTS + "/999999"), setup=[put_pact()]),
    S("verification-triggered-webhooks", get(ONE + "/triggered-webhooks"), setup=[put_pact(), verify()]),
    S("verifications-for-consumer-version", get("/verification-results/consumer/Foo/version/1/latest"), setup=world()),
    S(
        "verifications-for-consumer-version-none",
        get("/verification-results/consumer/Foo/version/1/latest"),
        setup=[put_pact()],
    ),
    S(
        "verifications-for-consumer-version-missing",
        get("/verification-results/consumer/Foo/version/9/latest"),
        setup=[put_pact()],
    ),
    S("pact-after-verification", get(f"{BASE}/version/1"), setup=[put_pact(), verify()]),
    S("pact-latest-after-failed-verification", get(f"{BASE}/latest"), setup=[put_pact(), verify(success=False)]),
    S("version-after-verification", get("/pacticipants/Bar/versions/10"), setup=[put_pact(), verify()]),
]
