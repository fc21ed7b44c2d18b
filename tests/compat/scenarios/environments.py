"""Environments, deployed and released versions (§2.11)."""

from tests.compat.builders import (
    MERGE_PATCH,
    PROBLEM,
    S,
    delete,
    deploy,
    environment,
    get,
    pacticipant,
    patch,
    post,
    put,
    release,
    tag,
    world,
)

ENV = "/environments/{{env_test}}"
DEPLOYED = "/deployed-versions/{{deployed_Bar_10}}"
RELEASED = "/released-versions/{{released_Bar_10}}"

SCENARIOS = [
    S("environments-empty", get("/environments")),
    S(
        "environments-list",
        get("/environments"),
        setup=[environment("test"), environment("production", True, displayName="Prod"), environment("b")],
    ),
    S("environments-list-by-name", get("/environments?name=test"), setup=[environment("test"), environment("b")]),
    S("environments-list-by-unknown-name", get("/environments?name=zzz"), setup=[environment("test")]),
    S("environment-create", environment("test")),
    S(
        "environment-create-full",
        environment(
            "production", True, displayName="Production", contacts=[{"name": "Team A", "details": {"slack": "#a"}}]
        ),
    ),
    S("environment-create-missing-production", post("/environments", {"name": "test"})),
    S("environment-create-missing-name", post("/environments", {"production": False})),
    S("environment-create-name-space", post("/environments", {"name": "te st", "production": False})),
    S("environment-create-duplicate", environment("test"), setup=[environment("test")]),
    S("environment-create-production-string", post("/environments", {"name": "t", "production": "yes"})),
    S(
        "environment-create-contact-no-name",
        post("/environments", {"name": "t", "production": False, "contacts": [{"details": {}}]}),
    ),
    S("environment-create-invalid-problem", post("/environments", {}, PROBLEM)),
    S("environment-create-wrong-content-type", post("/environments", "x", {"Content-Type": "text/plain"})),
    S("environment-get", get(ENV), setup=[environment("test")]),
    S("environment-get-missing", get("/environments/nope")),
    S(
        "environment-put",
        put(ENV, {"name": "test", "production": True, "displayName": "Test!"}),
        setup=[environment("test")],
    ),
    S("environment-put-partial", put(ENV, {"name": "test2"}), setup=[environment("test")]),
    S("environment-put-missing", put("/environments/nope", {"name": "x", "production": False})),
    S(
        "environment-put-duplicate-name",
        put(ENV, {"name": "b", "production": False}),
        setup=[environment("test"), environment("b")],
    ),
    S("environment-delete", delete(ENV), get(ENV), setup=[environment("test")]),
    S("environment-delete-missing", delete("/environments/nope")),
    S("deployment-record", deploy("Bar", "10", "test"), setup=[environment("test"), tag("Bar", "10", "x")]),
    S(
        "deployment-record-instance",
        deploy("Bar", "10", "test", "blue"),
        setup=[environment("test"), tag("Bar", "10", "x")],
    ),
    S(
        "deployment-record-replaces-previous",
        deploy("Bar", "11", "test"),
        get("/pacticipants/Bar/versions/10"),
        setup=[environment("test"), tag("Bar", "10", "x"), tag("Bar", "11", "x"), deploy("Bar", "10", "test")],
    ),
    S(
        "deployment-record-again",
        deploy("Bar", "10", "test"),
        setup=[environment("test"), tag("Bar", "10", "x"), deploy("Bar", "10", "test")],
    ),
    S(
        "deployment-record-missing-env",
        post("/pacticipants/Bar/versions/10/deployed-versions/environment/nope", {}),
        setup=[tag("Bar", "10", "x")],
    ),
    S(
        "deployment-record-missing-version",
        post("/pacticipants/Bar/versions/99/deployed-versions/environment/{{env_test}}", {}),
        setup=[environment("test"), pacticipant("Bar")],
    ),
    S(
        "deployment-record-no-body",
        post(
            "/pacticipants/Bar/versions/10/deployed-versions/environment/{{env_test}}",
            None,
            {"Content-Type": "application/json"},
        ),
        setup=[environment("test"), tag("Bar", "10", "x")],
    ),
    S(
        "deployed-versions-for-version",
        get("/pacticipants/Bar/versions/10/deployed-versions/environment/{{env_test}}"),
        setup=world(),
    ),
    S("deployed-version-get", get(DEPLOYED), setup=world()),
    S("deployed-version-get-missing", get("/deployed-versions/nope")),
    S(
        "deployed-version-undeploy",
        patch(DEPLOYED, {"currentlyDeployed": False}, MERGE_PATCH),
        get(ENV + "/deployed-versions/currently-deployed"),
        setup=world(),
    ),
    S(
        "deployed-version-redeploy-refused",
        patch(DEPLOYED, {"currentlyDeployed": True}, MERGE_PATCH),
        setup=world() + [patch(DEPLOYED, {"currentlyDeployed": False}, MERGE_PATCH)],
    ),
    S("deployed-version-patch-empty", patch(DEPLOYED, {}, MERGE_PATCH), setup=world()),
    S("deployed-version-patch-json", patch(DEPLOYED, {"currentlyDeployed": False}), setup=world()),
    S("currently-deployed", get(ENV + "/deployed-versions/currently-deployed"), setup=world()),
    S(
        "currently-deployed-by-pacticipant",
        get(ENV + "/deployed-versions/currently-deployed?pacticipant=Bar"),
        setup=world() + [tag("Foo", "1", "x"), deploy("Foo", "1", "test", "blue")],
    ),
    S(
        "currently-deployed-by-instance",
        get(ENV + "/deployed-versions/currently-deployed?applicationInstance=blue"),
        setup=world() + [tag("Foo", "1", "x"), deploy("Foo", "1", "test", "blue")],
    ),
    S("currently-deployed-missing-env", get("/environments/nope/deployed-versions/currently-deployed")),
    S("release-record", release("Bar", "10", "production"), setup=world()),
    S("release-record-again", release("Bar", "10", "production"), setup=world() + [release("Bar", "10", "production")]),
    S(
        "release-record-missing-env",
        post("/pacticipants/Bar/versions/10/released-versions/environment/nope", {}),
        setup=world(),
    ),
    S(
        "released-versions-for-version",
        get("/pacticipants/Bar/versions/10/released-versions/environment/{{env_production}}"),
        setup=world() + [release("Bar", "10", "production")],
    ),
    S("released-version-get", get(RELEASED), setup=world() + [release("Bar", "10", "production")]),
    S("released-version-get-missing", get("/released-versions/nope")),
    S(
        "released-version-end-support",
        patch(RELEASED, {"currentlySupported": False}, MERGE_PATCH),
        setup=world() + [release("Bar", "10", "production")],
    ),
    S(
        "released-version-resupport-refused",
        patch(RELEASED, {"currentlySupported": True}, MERGE_PATCH),
        setup=world()
        + [release("Bar", "10", "production"), patch(RELEASED, {"currentlySupported": False}, MERGE_PATCH)],
    ),
    S(
        "release-record-after-end-support",
        release("Bar", "10", "production"),
        setup=world()
        + [release("Bar", "10", "production"), patch(RELEASED, {"currentlySupported": False}, MERGE_PATCH)],
    ),
    S(
        "currently-supported",
        get("/environments/{{env_production}}/released-versions/currently-supported"),
        setup=world() + [release("Bar", "10", "production")],
    ),
    S(
        "currently-supported-filtered",
        get("/environments/{{env_production}}/released-versions/currently-supported?pacticipant=Bar&version=10"),
        setup=world() + [release("Bar", "10", "production")],
    ),
    S(
        "version-with-deployments",
        get("/pacticipants/Bar/versions/10"),
        setup=world() + [release("Bar", "10", "production")],
    ),
    S("pacticipant-with-deployments", get("/pacticipants/Bar"), setup=world()),
]
