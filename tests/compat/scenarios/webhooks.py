"""Webhooks: create, read, update, delete, scopes and validation (§2.10, §7). No webhook is executed
against a real host: execution paths are only exercised through their validation errors."""

from tests.compat.builders import (
    PROBLEM,
    S,
    delete,
    get,
    label,
    pacticipant,
    post,
    put,
    put_pact,
    webhook,
    webhook_body,
)

ONE = "/webhooks/{{webhook}}"

SCENARIOS = [
    S("webhooks-empty", get("/webhooks")),
    S("webhooks-list", get("/webhooks"), setup=[webhook(), webhook(description="second")]),
    S("webhook-create", webhook()),
    S(
        "webhook-create-minimal",
        post(
            "/webhooks",
            {"events": [{"name": "contract_published"}], "request": {"method": "GET", "url": "https://example.org"}},
            capture={"webhook": "_links.self.href|last"},
        ),
    ),
    S(
        "webhook-create-with-auth",
        webhook(
            request={
                "method": "POST",
                "url": "https://example.org/hook",
                "username": "user",
                "password": "secret",
                "headers": {"Authorization": "Bearer x", "X-Other": "y"},
            }
        ),
    ),
    S(
        "webhook-create-scoped-consumer-provider",
        webhook(consumer={"name": "Foo"}, provider={"name": "Bar"}),
        setup=[put_pact()],
    ),
    S("webhook-create-scoped-provider", webhook(provider={"name": "Bar"}), setup=[put_pact()]),
    S("webhook-create-scoped-label", webhook(consumer={"label": "team-a"}), setup=[label("Foo", "team-a")]),
    S("webhook-create-scope-unknown-pacticipant", webhook(consumer={"name": "Nope"})),
    S(
        "webhook-create-scope-name-and-label",
        webhook(consumer={"name": "Foo", "label": "x"}),
        setup=[pacticipant("Foo")],
    ),
    S("webhook-create-missing-events", post("/webhooks", webhook_body(events=None) | {"events": []})),
    S("webhook-create-no-events-key", post("/webhooks", {k: v for k, v in webhook_body().items() if k != "events"})),
    S("webhook-create-unknown-event", post("/webhooks", webhook_body(events=[{"name": "nope"}]))),
    S("webhook-create-missing-request", post("/webhooks", {"events": [{"name": "contract_published"}]})),
    S("webhook-create-missing-url", post("/webhooks", webhook_body(request={"method": "POST"}))),
    S("webhook-create-invalid-url", post("/webhooks", webhook_body(request={"method": "POST", "url": "nope"}))),
    S("webhook-create-ftp-url", post("/webhooks", webhook_body(request={"method": "POST", "url": "ftp://x.org"}))),
    S(
        "webhook-create-invalid-method",
        post("/webhooks", webhook_body(request={"method": "FETCH", "url": "https://x.org"})),
    ),
    S(
        "webhook-create-template-url",
        webhook(request={"method": "POST", "url": "https://example.org/${pactbroker.consumerName}"}),
    ),
    S("webhook-create-invalid-problem", post("/webhooks", {}, PROBLEM)),
    S("webhook-create-wrong-content-type", post("/webhooks", "x", {"Content-Type": "text/plain"})),
    S("webhook-create-invalid-json", post("/webhooks", "{nope")),
    S("webhook-get", get(ONE), setup=[webhook()]),
    S("webhook-get-scoped", get(ONE), setup=[put_pact(), webhook(consumer={"name": "Foo"}, provider={"name": "Bar"})]),
    S("webhook-get-label-scoped", get(ONE), setup=[label("Foo", "team-a"), webhook(provider={"label": "team-a"})]),
    S("webhook-get-missing", get("/webhooks/nope")),
    S("webhook-put-update", put(ONE, webhook_body(description="updated")), setup=[webhook()]),
    S("webhook-put-create", put("/webhooks/abcdefghijklmnopqrstuv", webhook_body())),
    S("webhook-put-invalid", put(ONE, {"events": []}), setup=[webhook()]),
    S("webhook-put-invalid-uuid", put("/webhooks/a b", webhook_body())),
    S("webhook-delete", delete(ONE), get(ONE), setup=[webhook()]),
    S("webhook-delete-missing", delete("/webhooks/nope")),
    S(
        "webhooks-for-integration",
        get("/webhooks/provider/Bar/consumer/Foo"),
        setup=[put_pact(), webhook(consumer={"name": "Foo"}, provider={"name": "Bar"})],
    ),
    S("webhooks-for-provider", get("/webhooks/provider/Bar"), setup=[put_pact(), webhook(provider={"name": "Bar"})]),
    S("webhooks-for-consumer", get("/webhooks/consumer/Foo"), setup=[put_pact(), webhook(consumer={"name": "Foo"})]),
    S("webhooks-for-missing-provider", get("/webhooks/provider/Nope")),
    S("webhooks-for-missing-consumer", get("/webhooks/consumer/Nope")),
    S(
        "webhooks-create-for-integration",
        post("/webhooks/provider/Bar/consumer/Foo", webhook_body()),
        setup=[put_pact()],
    ),
    S("webhooks-create-for-provider", post("/webhooks/provider/Bar", webhook_body()), setup=[put_pact()]),
    S("webhooks-create-for-missing-provider", post("/webhooks/provider/Nope", webhook_body())),
    S(
        "pact-webhooks",
        get("/pacts/provider/Bar/consumer/Foo/webhooks"),
        setup=[put_pact(), webhook(consumer={"name": "Foo"}, provider={"name": "Bar"})],
    ),
    S("pact-webhooks-create", post("/pacts/provider/Bar/consumer/Foo/webhooks", webhook_body()), setup=[put_pact()]),
    S("pact-webhooks-missing-pact", get("/pacts/provider/Bar/consumer/Nope/webhooks")),
    S(
        "pact-webhook-status-with-webhook",
        get("/pacts/provider/Bar/consumer/Foo/webhooks/status"),
        setup=[put_pact(), webhook(consumer={"name": "Foo"}, provider={"name": "Bar"})],
    ),
    S("webhook-execute-unsaved-invalid", post("/webhooks/execute", {})),
    S("webhook-execute-missing", post("/webhooks/nope/execute", {})),
    S("triggered-webhook-logs-missing", get("/triggered-webhooks/nope/logs")),
    S("webhook-post-to-one-not-allowed", post(ONE, webhook_body()), setup=[webhook()]),
]
