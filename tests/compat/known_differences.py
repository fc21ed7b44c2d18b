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
        [],
    ),
    "status": (
        ("a different status for the same request"),
        [
            "index-html-is-the-ui",
            "diff-versions-missing",
        ],
    ),
    "missing-route": (
        ("route not served by us yet (we answer 404 where the broker serves it)"),
        [],
    ),
    "content-type": (
        ("content type differs"),
        [],
    ),
    "body (index)": (
        ("body shape: links, titles, fields or values differ in (index)"),
        [],
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
    "body (pacticipants)": (
        ("body shape: links, titles, fields or values differ in (pacticipants)"),
        [],
    ),
    "body (versions)": (
        ("body shape: links, titles, fields or values differ in (versions)"),
        [
            "version-get-provider",
            "tag-put-environment-name",
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
            "deployment-record-replaces-previous",
            "deployed-versions-for-version",
            "released-versions-for-version",
            "currently-supported",
            "currently-supported-filtered",
            "version-with-deployments",
        ],
    ),
    "body (matrix)": (
        ("body shape: links, titles, fields or values differ in (matrix)"),
        [
            "matrix-two-versions-text",
            "can-i-deploy-text",
            "pact-with-environment-setup",
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
