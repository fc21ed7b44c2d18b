"""The matrix, can-i-deploy and their badges (§2.9, §5)."""

from tests.compat.builders import (
    TEXT,
    S,
    branch,
    deploy,
    environment,
    get,
    put,
    put_pact,
    tag,
    verify,
    world,
)

SVG = {"Accept": "image/svg+xml"}


def two_versions():
    """Foo 1 verified OK by Bar 10 (main, prod, deployed to test); Foo 2 (changed) failed by Bar 11."""
    return world() + [
        tag("Bar", "10", "prod"),
        put_pact("Foo", "Bar", "2", variant=1),
        branch("Bar", "11", "main"),
        verify("Foo", "2", "Bar", "11", success=False),
    ]


Q = "/matrix?q[][pacticipant]=Foo&q[][version]=1&q[][pacticipant]=Bar&q[][version]=10"

SCENARIOS = [
    S("matrix-two-versions", get(Q), setup=world()),
    S("matrix-two-versions-text", get(Q, TEXT), setup=world()),
    S(
        "matrix-latestby-cvpv",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv&latest=true"),
        setup=two_versions(),
    ),
    S("matrix-latestby-cvp", get("/matrix?q[][pacticipant]=Foo&latestby=cvp"), setup=two_versions()),
    S("matrix-latestby-cp", get("/matrix?q[][pacticipant]=Foo&q[][pacticipant]=Bar&latestby=cp"), setup=two_versions()),
    S("matrix-all-rows-one-pacticipant", get("/matrix?q[][pacticipant]=Foo"), setup=two_versions()),
    S(
        "matrix-environment",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&environment=test"),
        setup=two_versions(),
    ),
    S(
        "matrix-environment-failing",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=2&latestby=cvp&environment=test"),
        setup=two_versions() + [deploy("Bar", "11", "test")],
    ),
    S(
        "matrix-to-tag",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&latest=true&tag=prod"),
        setup=two_versions(),
    ),
    S(
        "matrix-to-latest",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=2&latestby=cvp&latest=true"),
        setup=two_versions(),
    ),
    S(
        "matrix-main-branch",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&mainBranch=true"),
        setup=two_versions() + [put("/pacticipants/Bar", {"mainBranch": "main"})],
    ),
    S("matrix-no-target", get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp"), setup=two_versions()),
    S(
        "matrix-selector-branch",
        get("/matrix?q[][pacticipant]=Foo&q[][branch]=main&q[][latest]=true&latestby=cvp&latest=true"),
        setup=two_versions(),
    ),
    S(
        "matrix-selector-tag",
        get("/matrix?q[][pacticipant]=Foo&q[][tag]=dev&q[][latest]=true&latestby=cvp&latest=true"),
        setup=two_versions(),
    ),
    S(
        "matrix-selector-environment",
        get("/matrix?q[][pacticipant]=Bar&q[][environment]=test&q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv"),
        setup=two_versions(),
    ),
    S(
        "matrix-unknown-version",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=99&latestby=cvp&environment=test"),
        setup=two_versions(),
    ),
    S(
        "matrix-no-verification",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=3&latestby=cvp&environment=test"),
        setup=two_versions() + [put_pact("Foo", "Bar", "3", variant=2)],
    ),
    S(
        "matrix-ignore",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=2&latestby=cvp&latest=true&ignore[][pacticipant]=Bar"),
        setup=two_versions(),
    ),
    S(
        "matrix-ignore-unknown",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvp&latest=true&ignore[][pacticipant]=Nope"),
        setup=two_versions(),
    ),
    S("matrix-success-filter", get("/matrix?q[][pacticipant]=Foo&success[]=false"), setup=two_versions()),
    S("matrix-limit", get("/matrix?q[][pacticipant]=Foo&limit=1"), setup=two_versions()),
    S("matrix-limit-invalid", get("/matrix?q[][pacticipant]=Foo&limit=0"), setup=two_versions()),
    S("matrix-no-selectors", get("/matrix")),
    S("matrix-missing-pacticipant-name", get("/matrix?q[][version]=1")),
    S("matrix-unknown-pacticipant", get("/matrix?q[][pacticipant]=Nope&q[][version]=1")),
    S("matrix-version-and-latest", get("/matrix?q[][pacticipant]=Foo&q[][version]=1&q[][latest]=true"), setup=world()),
    S("matrix-unknown-environment", get("/matrix?q[][pacticipant]=Foo&q[][version]=1&environment=nope"), setup=world()),
    S(
        "matrix-environment-and-tag",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&environment=test&tag=x"),
        setup=world(),
    ),
    S(
        "matrix-latest-and-environment",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&environment=test&latest=true"),
        setup=world(),
    ),
    S("matrix-errors-text", get("/matrix", TEXT)),
    S("matrix-for-integration", get("/matrix/provider/Bar/consumer/Foo"), setup=two_versions()),
    S("matrix-for-integration-missing", get("/matrix/provider/Bar/consumer/Nope"), setup=world()),
    S(
        "can-i-deploy-environment",
        get("/can-i-deploy?pacticipant=Foo&version=1&environment=test"),
        setup=two_versions(),
    ),
    S(
        "can-i-deploy-environment-failing",
        get("/can-i-deploy?pacticipant=Foo&version=2&environment=test"),
        setup=two_versions() + [deploy("Bar", "11", "test")],
    ),
    S("can-i-deploy-to-tag", get("/can-i-deploy?pacticipant=Foo&version=1&to=prod"), setup=two_versions()),
    S("can-i-deploy-no-target", get("/can-i-deploy?pacticipant=Foo&version=1"), setup=two_versions()),
    S("can-i-deploy-missing-pacticipant", get("/can-i-deploy?version=1&environment=test"), setup=world()),
    S("can-i-deploy-missing-version", get("/can-i-deploy?pacticipant=Foo&environment=test"), setup=world()),
    S(
        "can-i-deploy-unknown-pacticipant",
        get("/can-i-deploy?pacticipant=Nope&version=1&environment=test"),
        setup=world(),
    ),
    S(
        "can-i-deploy-unknown-environment",
        get("/can-i-deploy?pacticipant=Foo&version=1&environment=nope"),
        setup=world(),
    ),
    S("can-i-deploy-unknown-version", get("/can-i-deploy?pacticipant=Foo&version=99&environment=test"), setup=world()),
    S(
        "can-i-deploy-ignore",
        get("/can-i-deploy?pacticipant=Foo&version=2&environment=test&ignore[]=Bar"),
        setup=two_versions() + [deploy("Bar", "11", "test")],
    ),
    S("can-i-deploy-text", get("/can-i-deploy?pacticipant=Foo&version=1&environment=test", TEXT), setup=two_versions()),
    S("can-i-deploy-tag-url", get("/pacticipants/Foo/latest-version/dev/can-i-deploy/to/prod"), setup=two_versions()),
    S(
        "can-i-deploy-tag-url-missing",
        get("/pacticipants/Foo/latest-version/nope/can-i-deploy/to/prod"),
        setup=two_versions(),
    ),
    S(
        "can-i-deploy-branch-env-url",
        get("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/test"),
        setup=two_versions(),
    ),
    S(
        "can-i-deploy-branch-env-url-missing-env",
        get("/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/nope"),
        setup=two_versions(),
    ),
    S(
        "can-i-deploy-badge",
        get("/pacticipants/Foo/latest-version/dev/can-i-deploy/to/prod/badge", SVG, body_mode="none"),
        setup=two_versions(),
    ),
    S(
        "can-i-deploy-branch-badge",
        get(
            "/pacticipants/Foo/branches/main/latest-version/can-i-deploy/to-environment/test/badge",
            SVG,
            body_mode="none",
        ),
        setup=two_versions(),
    ),
    S(
        "matrix-badge",
        get("/matrix/provider/Bar/latest/prod/consumer/Foo/latest/dev/badge", SVG, body_mode="none"),
        setup=two_versions(),
    ),
    S(
        "pact-with-environment-setup",
        get("/pacticipants/Foo/versions/1"),
        setup=[environment("test")] + [tag("Foo", "1", "test")],
    ),
    S(
        "matrix-branch-names-in-rows",
        get("/matrix?q[][pacticipant]=Foo&q[][version]=1&latestby=cvpv&latest=true"),
        setup=world() + [branch("Foo", "1", "main")],
    ),
]
