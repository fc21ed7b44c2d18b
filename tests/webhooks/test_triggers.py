"""Each event fires the right webhooks, and only those (the broker's rules, §7.2)."""

import pytest
from django_tenants.utils import schema_context

from apps.contracts.services.pacticipants import label_add
from apps.webhooks.models import TriggeredWebhook
from apps.webhooks.services import webhooks_trigger
from apps.webhooks.services.event_triggers import (
    contract_published_webhooks_trigger,
    verification_published_webhooks_trigger,
)
from tests.support.factories import pact_publish, verify
from tests.support.webhook_builders import webhook_create

pytestmark = pytest.mark.django_db

ALL_EVENTS = [
    "contract_published",
    "contract_content_changed",
    "contract_requiring_verification_published",
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
]


@pytest.fixture
def tenant(acme):
    with schema_context(acme.schema):
        yield acme


def fired(triggered) -> list[tuple[str, str]]:
    return sorted((t.event_name, t.webhook.description) for t in triggered)


def hooks_for_every_event():
    for event in ALL_EVENTS:
        webhook_create(url="https://ci.example.org", events=[event], description=event)


def test_first_publication_fires_published_and_content_changed(tenant):
    hooks_for_every_event()
    publication = pact_publish("Foo", "1", "Bar")

    triggered = contract_published_webhooks_trigger(pact_publication=publication, event_context={})

    assert fired(triggered) == [
        ("contract_content_changed", "contract_content_changed"),
        ("contract_published", "contract_published"),
    ]


def test_new_version_with_same_content_fires_only_published(tenant):
    hooks_for_every_event()
    pact_publish("Foo", "1", "Bar", content="same")
    publication = pact_publish("Foo", "2", "Bar", content="same")

    triggered = contract_published_webhooks_trigger(pact_publication=publication)

    assert fired(triggered) == [("contract_published", "contract_published")]


def test_content_changed_is_judged_per_consumer_version_tag(tenant):
    hooks_for_every_event()
    pact_publish("Foo", "1", "Bar", content="A", tags=["main"])
    pact_publish("Foo", "2", "Bar", content="B", tags=["feat"])
    # Same content as the latest "feat" pact, but new for tag "main"...
    on_both = pact_publish("Foo", "3", "Bar", content="B", tags=["feat", "main"])
    # ...and same content as the latest pact of every tag it carries.
    on_feat = pact_publish("Foo", "4", "Bar", content="B", tags=["feat"])

    assert ("contract_content_changed", "contract_content_changed") in fired(
        contract_published_webhooks_trigger(pact_publication=on_both)
    )
    assert fired(contract_published_webhooks_trigger(pact_publication=on_feat)) == [
        ("contract_published", "contract_published")
    ]


def test_republishing_a_version_fires_content_changed_only_when_the_content_differs(tenant):
    hooks_for_every_event()
    first = pact_publish("Foo", "1", "Bar", content="A")
    changed = pact_publish("Foo", "1", "Bar", content="B")

    assert changed.revision_number == 2
    assert [e for e, _ in fired(contract_published_webhooks_trigger(pact_publication=changed))] == [
        "contract_content_changed",
        "contract_published",
    ]
    assert [
        e
        for e, _ in fired(
            contract_published_webhooks_trigger(
                pact_publication=changed, previous_pact_version_sha=changed.pact_version.sha
            )
        )
    ] == ["contract_published"]
    assert first.pact_version.sha != changed.pact_version.sha


def test_requiring_verification_fires_for_main_branch_head_without_a_verification(tenant):
    hooks_for_every_event()
    old = pact_publish("Foo", "1", "Bar", content="A")
    verify(old, "p1", branch="main")
    publication = pact_publish("Foo", "2", "Bar", content="B")

    triggered = [
        t
        for t in contract_published_webhooks_trigger(pact_publication=publication)
        if t.event_name == "contract_requiring_verification_published"
    ]

    assert len(triggered) == 1
    assert triggered[0].event_context["provider_version_number"] == "p1"
    assert triggered[0].event_context["provider_version_branch"] == "main"
    assert triggered[0].event_context["provider_version_descriptions"] == ["latest from main branch"]


def test_requiring_verification_does_not_fire_when_main_head_already_verified_the_content(tenant):
    hooks_for_every_event()
    publication = pact_publish("Foo", "1", "Bar", content="A")
    verify(publication, "p1", branch="main")
    again = pact_publish("Foo", "2", "Bar", content="A")

    events = {t.event_name for t in contract_published_webhooks_trigger(pact_publication=again)}

    assert "contract_requiring_verification_published" not in events


def test_verification_fires_published_and_succeeded_or_failed(tenant):
    hooks_for_every_event()
    publication = pact_publish("Foo", "1", "Bar")
    good = verify(publication, "p1", success=True)
    bad = verify(publication, "p2", success=False)

    assert [e for e, _ in fired(verification_published_webhooks_trigger(verification=good))] == [
        "provider_verification_published",
        "provider_verification_succeeded",
    ]
    assert [e for e, _ in fired(verification_published_webhooks_trigger(verification=bad))] == [
        "provider_verification_failed",
        "provider_verification_published",
    ]


def test_verification_fires_once_per_selected_consumer_version(tenant):
    webhook_create(url="https://ci.example.org", events=["provider_verification_published"])
    v1 = pact_publish("Foo", "1", "Bar", content="A", tags=["main"])
    v2 = pact_publish("Foo", "2", "Bar", content="A", tags=["prod"])
    verification = verify(v2, "p1")
    selectors = [
        {"consumer_version_number": "1", "tag": "main"},
        {"consumer_version_number": "2", "tag": "prod"},
        {"consumer_version_number": "2", "latest": True},
    ]

    triggered = verification_published_webhooks_trigger(
        verification=verification, event_context={"consumer_version_selectors": selectors}
    )

    contexts = sorted(
        (
            t.event_context["consumer_version_number"],
            tuple(t.event_context["consumer_version_tags"]),
            t.pact_publication_id,
        )
        for t in triggered
    )
    assert contexts == [("1", ("main",), v1.pk), ("2", ("prod",), v2.pk)]


def test_scope_by_name_label_or_none_matches_and_others_do_not(tenant):
    label_add(pacticipant_name="Bar", name="payments")
    matching = [
        webhook_create(url="https://x.example.org", events=["contract_published"], description="global"),
        webhook_create(
            url="https://x.example.org",
            events=["contract_published"],
            consumer="Foo",
            provider="Bar",
            description="named",
        ),
        webhook_create(
            url="https://x.example.org", events=["contract_published"], provider_label="payments", description="label"
        ),
    ]
    webhook_create(url="https://x.example.org", events=["contract_published"], consumer="Other", description="x")
    webhook_create(url="https://x.example.org", events=["contract_published"], provider_label="nope", description="x")
    webhook_create(url="https://x.example.org", events=["contract_published"], enabled=False, description="x")
    webhook_create(url="https://x.example.org", events=["contract_content_changed"], description="x")
    publication = pact_publish("Foo", "1", "Bar")

    triggered = webhooks_trigger(event_name="contract_published", pact_publication=publication)

    assert sorted(t.webhook.description for t in triggered) == sorted(w.description for w in matching)
    assert all(t.status == TriggeredWebhook.Status.NOT_RUN for t in triggered)
    assert all(t.event_context["base_url"] == f"https://{tenant.host}" for t in triggered)
