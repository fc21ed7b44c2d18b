"""Scenarios that still answer differently from the reference, grouped by cause.

Each entry: a reason and the scenario ids it explains. The replay test fails when a listed scenario
no longer differs (remove it: the list only shrinks) and when an unlisted one differs. A difference
we keep on purpose belongs in docs/compatibility.md and here under "deliberate".
`python -m tests.compat.diff <dump> --known` regroups what still differs by symptom.
"""

# Scenarios whose `updatedAt` agrees or not depending on whether the update falls in the same second
# as the creation (we show `updatedAt` only when it differs from `createdAt`; the broker after any
# update). Their bodies are compared without `updatedAt` until we stamp it as the broker does.
UPDATED_AT_TIMING = {"environment-put", "webhook-put-update", "release-record-after-end-support"}

KNOWN: dict[str, tuple[str, list[str]]] = {
    "extension": (
        (
            "the index also advertises pf:publish-provider-contract, the PactFlow-style provider contract publication (bi-directional contract testing), which the open-source broker does not have"
        ),
        [
            "index-hal",
            "index-no-accept",
            "index-star",
        ],
    ),
    "status": (
        ("a different status for the same request"),
        [
            "diff-versions-missing",
        ],
    ),
    "deliberate": (
        (
            "the broker answers 500 for a client mistake (a non-JSON content type, a JSON array where an object is "
            "expected, malformed tags, a dashboard of an unknown pacticipant); we answer the client error (415, 400), "
            "store an array pact as sent (201) and show an empty dashboard: each listed in docs/compatibility.md"
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
    "body (versions)": (
        ("body shape: links, titles, fields or values differ in (versions)"),
        [
            "branch-version-put-existing",
            "version-put-creates",
        ],
    ),
    "body (pacts)": (
        ("body shape: links, titles, fields or values differ in (pacts)"),
        [
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
            "publish-with-webhook",
            "publish-with-webhook-other-event",
            "publish-changed-content",
            "publish-merge",
        ],
    ),
    "body (verifications)": (
        ("body shape: links, titles, fields or values differ in (verifications)"),
        [
            "verification-triggered-webhooks",
        ],
    ),
    "body (environments)": (
        ("body shape: links, titles, fields or values differ in (environments)"),
        [
            "environments-list-by-name",
            "environments-list-by-unknown-name",
            "deployed-versions-for-version",
            "released-versions-for-version",
            "currently-supported",
            "currently-supported-filtered",
        ],
    ),
    "body (matrix)": (
        ("body shape: links, titles, fields or values differ in (matrix)"),
        [
            "matrix-two-versions-text",
            "can-i-deploy-text",
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
    "ui-sign-in": (
        (
            "the web UI needs a sign-in: a browser asking / for text/html is sent to the sign-in page (302) where the broker's open UI answers 200 (docs/compatibility.md)"
        ),
        [
            "index-html-is-the-ui",
        ],
    ),
}


def known_ids() -> set[str]:
    ids: set[str] = set()
    for _reason, scenario_ids in KNOWN.values():
        ids.update(scenario_ids)
    return ids
