"""Scenarios that still answer differently from the reference, grouped by cause.

Each entry: a reason and the scenario ids it explains. The replay test fails when a listed scenario
no longer differs (remove it: the list only shrinks) and when an unlisted one differs. A difference
we keep on purpose belongs in docs/compatibility.md and here under "deliberate".
`python -m tests.compat.diff <dump> --known` regroups what still differs by symptom.
"""

# Scenarios whose `updatedAt` agrees or not depending on whether the update falls in the same second
# as the creation (we show `updatedAt` only when it differs from `createdAt`; the broker after any
# update). Their bodies are compared without `updatedAt` until we stamp it as the broker does.
UPDATED_AT_TIMING = {"version-put-updates", "environment-put", "webhook-put-update"}

KNOWN: dict[str, tuple[str, list[str]]] = {
    "extension": (
        (
            "the index also advertises pf:publish-provider-contract, the PactFlow-style provider contract "
            "publication (bi-directional contract testing), which the open-source broker does not have"
        ),
        ["index-hal", "index-no-accept", "index-star"],
    ),
    "negotiation": (
        (
            "Accept negotiation: the broker answers 406 where the resource cannot produce the requested type, or "
            "ignores Accept where we do not"
        ),
        [
            "index-json",
            "integration-delete",
            "integration-delete-missing",
            "accept-unacceptable",
            "pacticipants-list-json",
            "pacticipant-get-missing-problem",
            "pacticipant-get-missing-json",
            "pact-get-missing-problem",
            "diff-previous-distinct-hal",
            "publish-problem-json-success",
        ],
    ),
    "status": (
        ("a different status for the same request"),
        [
            "index-html-is-the-ui",
            "index-hal-browser-redirect",
            "double-slash",
            "diff-versions-missing",
            "pact-badge",
            "pact-badge-missing",
            "verification-get-extended",
            "can-i-deploy-badge",
            "can-i-deploy-branch-badge",
        ],
    ),
    "missing-route": (
        ("route not served by us yet (we answer 404 where the broker serves it)"),
        [
            "test-error",
            "test-error-problem",
            "doc-curie-html",
            "doc-unknown",
            "hal-browser",
            "matrix-badge",
        ],
    ),
    "not-found-text": (
        (
            "404 body: the broker names what is missing (`No pacticipant with name 'X' found`) or answers the "
            "generic JSON 404"
        ),
        [],
    ),
    "content-type": (
        ("content type differs"),
        [
            "dashboard-text",
            "pact-get-extended",
            "pact-get-html",
        ],
    ),
    "body (index)": (
        ("body shape: links, titles, fields or values differ in (index)"),
        [
            "integrations-with-data",
            "integrations-q",
            "integrations-paginated",
            "pacts-latest",
            "dashboard",
            "dashboard-integration",
        ],
    ),
    "deliberate": (
        (
            "the broker answers 500 for a client mistake (a non-JSON content type, a JSON array or an empty "
            "contract list where an object is expected, a dashboard of an unknown pacticipant); we answer the "
            "client error (docs/compatibility.md)"
        ),
        [
            "dashboard-integration-missing",
            "pacticipant-create-wrong-content-type",
            "pacticipant-create-array",
            "version-put-invalid-tags",
            "pact-put-array",
            "pact-put-wrong-content-type",
            "environment-create-wrong-content-type",
            "webhook-create-wrong-content-type",
        ],
    ),
    "validation-text": (
        ("validation messages: the broker's texts and keys differ from ours"),
        [],
    ),
    "body (pacticipants)": (
        ("body shape: links, titles, fields or values differ in (pacticipants)"),
        [
            "pacticipant-get-with-data",
            "pacticipant-put-merge-patch",
            "extension-json",
        ],
    ),
    "body (versions)": (
        ("body shape: links, titles, fields or values differ in (versions)"),
        [
            "versions-list",
            "versions-list-paginated",
            "version-get-provider",
            "version-put-replaces-tags",
            "version-put-merge-patch",
            "version-patch",
            "version-patch-json",
            "latest-version",
            "latest-tagged-version",
            "tag-put-no-content-type",
            "tag-put-environment-name",
            "tag-delete",
            "tag-versions",
            "tag-first-creates-branch",
            "tag-main-sets-main-branch",
            "branch-version-put-existing",
            "branch-delete",
            "branch-versions",
            "branch-latest-version",
            "version-with-branch-and-tags",
            "version-put-creates",
        ],
    ),
    "body (pacts)": (
        ("body shape: links, titles, fields or values differ in (pacts)"),
        [
            "pact-latest-untagged",
            "previous-distinct",
            "diff-previous-distinct",
            "diff-versions",
            "diff-pact-versions",
            "pact-patch-merge-adds",
            "pact-patch-merge-conflict",
        ],
    ),
    "body (publish)": (
        ("body shape: links, titles, fields or values differ in (publish)"),
        [
            "publish-new",
            "publish-no-branch",
            "publish-branch-and-tags",
            "publish-two-providers",
            "publish-same-again",
            "publish-existing-verified",
            "publish-with-webhook",
            "publish-with-webhook-other-event",
            "publish-tag-environment",
            "publish-not-json-content-type",
            "publish-changed-content",
            "publish-merge",
        ],
    ),
    "body (verifications)": (
        ("body shape: links, titles, fields or values differ in (verifications)"),
        [
            "verification-publish",
            "verification-publish-failed",
            "verification-publish-full",
            "verification-publish-existing-provider-version",
            "verification-latest-after-two",
            "verification-get",
            "verification-latest-by-sha",
            "verification-latest-by-version",
            "verification-latest-by-latest",
            "verification-latest-by-tag",
            "verification-triggered-webhooks",
            "verifications-for-consumer-version",
            "version-after-verification",
        ],
    ),
    "body (environments)": (
        ("body shape: links, titles, fields or values differ in (environments)"),
        [
            "environments-list-by-name",
            "environments-list-by-unknown-name",
            "deployment-record-replaces-previous",
            "deployed-versions-for-version",
            "released-versions-for-version",
            "currently-supported",
            "currently-supported-filtered",
            "version-with-deployments",
            "pacticipant-with-deployments",
            "release-record-after-end-support",
        ],
    ),
    "body (matrix)": (
        ("body shape: links, titles, fields or values differ in (matrix)"),
        [
            "matrix-two-versions",
            "matrix-two-versions-text",
            "matrix-latestby-cvpv",
            "matrix-latestby-cvp",
            "matrix-latestby-cp",
            "matrix-all-rows-one-pacticipant",
            "matrix-environment",
            "matrix-environment-failing",
            "matrix-to-tag",
            "matrix-to-latest",
            "matrix-main-branch",
            "matrix-no-target",
            "matrix-selector-branch",
            "matrix-selector-tag",
            "matrix-selector-environment",
            "matrix-ignore",
            "matrix-ignore-unknown",
            "matrix-success-filter",
            "matrix-limit",
            "matrix-for-integration",
            "can-i-deploy-environment",
            "can-i-deploy-environment-failing",
            "can-i-deploy-to-tag",
            "can-i-deploy-ignore",
            "can-i-deploy-text",
            "can-i-deploy-tag-url",
            "can-i-deploy-branch-env-url",
            "pact-with-environment-setup",
            "matrix-branch-names-in-rows",
        ],
    ),
    "body (for_verification)": (
        ("body shape: links, titles, fields or values differ in (for_verification)"),
        [
            "pfv-main-branch",
            "pfv-no-selectors",
            "pfv-wip",
            "pfv-get-deprecated",
            "pfv-get-deprecated-tag",
        ],
    ),
    "body (webhooks)": (
        ("body shape: links, titles, fields or values differ in (webhooks)"),
        [
            "webhook-create-scoped-label",
            "webhook-get-label-scoped",
        ],
    ),
}


def known_ids() -> set[str]:
    ids: set[str] = set()
    for _reason, scenario_ids in KNOWN.values():
        ids.update(scenario_ids)
    return ids
