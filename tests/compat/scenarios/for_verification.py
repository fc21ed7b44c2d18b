"""Pacts for verification: selectors, pending, WIP, validation (§6)."""

from tests.compat.builders import PROBLEM, S, branch, get, post, publish, verify

URL = "/pacts/provider/Bar/for-verification"


def data():
    return [
        publish("Foo", "1", branch="main", tags=["prod"]),
        publish("Foo", "2", branch="feat", variant=1),
        publish("Baz", "5", branch="main", tags=["dev"]),
    ]


def pfv(body) -> object:
    return post(URL, body)


SCENARIOS = [
    S(
        "pfv-main-branch",
        pfv({"consumerVersionSelectors": [{"mainBranch": True}]}),
        setup=[post("/pacticipants", {"name": "Foo", "mainBranch": "main"})] + data(),
    ),
    S("pfv-no-selectors", pfv({}), setup=data()),
    S("pfv-branch", pfv({"consumerVersionSelectors": [{"branch": "feat"}]}), setup=data()),
    S("pfv-tag-latest", pfv({"consumerVersionSelectors": [{"tag": "prod", "latest": True}]}), setup=data()),
    S("pfv-tag-all", pfv({"consumerVersionSelectors": [{"tag": "prod"}]}), setup=data()),
    S("pfv-consumer", pfv({"consumerVersionSelectors": [{"consumer": "Baz", "latest": True}]}), setup=data()),
    S("pfv-latest", pfv({"consumerVersionSelectors": [{"latest": True}]}), setup=data()),
    S(
        "pfv-two-selectors-same-pact",
        pfv({"consumerVersionSelectors": [{"branch": "main"}, {"tag": "prod", "latest": True}]}),
        setup=data(),
    ),
    S(
        "pfv-pending",
        pfv(
            {
                "consumerVersionSelectors": [{"branch": "main"}],
                "includePendingStatus": True,
                "providerVersionBranch": "main",
            }
        ),
        setup=data(),
    ),
    S(
        "pfv-pending-verified",
        pfv(
            {
                "consumerVersionSelectors": [{"branch": "main"}],
                "includePendingStatus": True,
                "providerVersionBranch": "main",
            }
        ),
        setup=data()
        + [
            branch("Bar", "10", "main"),
            get("/pacts/provider/Bar/consumer/Foo/version/1", capture={"sha_Foo_1": "_links.pb:pact-version.name"}),
            verify("Foo", "1", "Bar", "10"),
        ],
    ),
    S(
        "pfv-wip",
        pfv(
            {
                "consumerVersionSelectors": [{"branch": "main"}],
                "includePendingStatus": True,
                "includeWipPactsSince": "2020-01-01",
                "providerVersionBranch": "main",
            }
        ),
        setup=data(),
    ),
    S(
        "pfv-wip-without-branch",
        pfv({"consumerVersionSelectors": [{"branch": "main"}], "includeWipPactsSince": "2020-01-01"}),
        setup=data(),
    ),
    S("pfv-deployed", pfv({"consumerVersionSelectors": [{"deployedOrReleased": True}]}), setup=data()),
    S(
        "pfv-matching-branch",
        pfv({"consumerVersionSelectors": [{"matchingBranch": True}], "providerVersionBranch": "feat"}),
        setup=data(),
    ),
    S(
        "pfv-fallback-tag",
        pfv({"consumerVersionSelectors": [{"tag": "nope", "fallbackTag": "prod", "latest": True}]}),
        setup=data(),
    ),
    S("pfv-invalid-selector-key", pfv({"consumerVersionSelectors": [{"nope": True}]}), setup=data()),
    S(
        "pfv-invalid-branch-and-tag",
        pfv({"consumerVersionSelectors": [{"branch": "main", "tag": "prod"}]}),
        setup=data(),
    ),
    S("pfv-invalid-latest-string", pfv({"consumerVersionSelectors": [{"tag": "prod", "latest": "yes"}]}), setup=data()),
    S(
        "pfv-invalid-fallback-without-latest",
        pfv({"consumerVersionSelectors": [{"tag": "x", "fallbackTag": "y"}]}),
        setup=data(),
    ),
    S(
        "pfv-invalid-wip-date",
        pfv(
            {
                "consumerVersionSelectors": [{"branch": "main"}],
                "includeWipPactsSince": "x",
                "providerVersionBranch": "main",
            }
        ),
        setup=data(),
    ),
    S("pfv-invalid-selectors-not-list", pfv({"consumerVersionSelectors": {"branch": "main"}}), setup=data()),
    S("pfv-invalid-problem", post(URL, {"consumerVersionSelectors": [{"nope": True}]}, PROBLEM), setup=data()),
    S("pfv-unknown-provider", post("/pacts/provider/Nope/for-verification", {})),
    S("pfv-invalid-json", post(URL, "{nope"), setup=data()),
    S("pfv-get-deprecated", get(URL), setup=data()),
    S(
        "pfv-get-deprecated-tag",
        get(URL + "?consumer_version_selectors[][tag]=prod&consumer_version_selectors[][latest]=true"),
        setup=data(),
    ),
    S("pfv-no-pacts", pfv({"consumerVersionSelectors": [{"branch": "nope"}]}), setup=data()),
    S(
        "pfv-provider-tags",
        pfv(
            {
                "consumerVersionSelectors": [{"tag": "prod", "latest": True}],
                "providerVersionTags": ["main"],
                "includePendingStatus": True,
            }
        ),
        setup=data(),
    ),
]
