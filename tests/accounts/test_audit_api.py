"""`GET /audit` as PactFlow's Audit API: chronological, keyset cursor (`from`), filters, exact pages;
the export of the audit page; retention per plan; and no organisation ever reads another's log."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.audit import audit_record
from apps.accounts.models import AuditEvent
from apps.accounts.tasks import audit_prune, audit_prune_tenant
from tests.accounts.conftest import browser_for, member_create, plan_set

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _seed(org, bob) -> list[str]:
    """Five entries at known times (two at the same instant), oldest first; returns their uuids."""
    rows = [
        (org.admin, "pact.published", "Foo 1 → Bar", T0),
        (bob, "pacticipant.created", "Foo", T0 + timedelta(hours=1)),
        (org.admin, "pact.deleted", "Foo 1 → Bar", T0 + timedelta(hours=2)),
        (bob, "pacts.deleted", "Foo → Bar", T0 + timedelta(hours=2)),
        (org.admin, "webhook.created", "Build", T0 + timedelta(days=1)),
    ]
    uuids = []
    with schema_context(org.schema):
        AuditEvent.objects.all().delete()
        for actor, action, label, when in rows:
            entry = audit_record(actor=actor, action=action, target=("x", label, label))
            AuditEvent.objects.filter(pk=entry.pk).update(timestamp=when)
            uuids.append(str(entry.uuid))
    return uuids


@pytest.fixture
def seeded(acme):
    bob = member_create(acme, email="bob@acme.example", roles=["user"])
    return acme, bob, _seed(acme, bob.user)


def _uuids(body) -> list[str]:
    return [event["uuid"] for event in body["events"]]


def _all_pages(client, url: str) -> tuple[list[str], int]:
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        seen += _uuids(body)
        pages += 1
        url = body["_links"].get("next", {}).get("href")
    return seen, pages


def test_the_log_is_chronological_by_default_and_pages_follow_the_cursor(seeded):
    acme, _, uuids = seeded
    client = acme.client()

    first = client.get("/audit?pageSize=2").json()
    everything, pages = _all_pages(client, "/audit?pageSize=2")

    assert _uuids(first) == uuids[:2]
    assert parse_qs(urlsplit(first["_links"]["next"]["href"]).query) == {"from": [uuids[2]], "pageSize": ["2"]}
    assert (everything, pages) == (uuids, 3)


def test_newest_first_and_from_resumes_at_that_entry(seeded):
    acme, _, uuids = seeded
    client = acme.client()

    newest, _ = _all_pages(client, "/audit?sort=-timestamp&pageSize=2")
    resumed = client.get(f"/audit?from={uuids[3]}").json()

    assert newest == list(reversed(uuids))
    assert _uuids(resumed) == uuids[3:]
    assert "next" not in resumed["_links"]


def test_filters_give_exact_results(seeded):
    acme, bob, uuids = seeded
    client = acme.client()

    def got(query: str) -> list[str]:
        return _uuids(client.get(f"/audit?{query}").json())

    assert got("type=pact.published") == [uuids[0]]
    assert got("type=pact") == [uuids[0], uuids[2]]  # pact.* only: not pacts.* or pacticipant.*
    assert got(f"userUuid={bob.user.uuid}") == [uuids[1], uuids[3]]
    assert got("userEmail=BOB@acme.example") == [uuids[1], uuids[3]]
    assert got("since=2026-03-01T10:00:00Z") == uuids[1:]
    assert got("since=2026-03-01T10:00:00Z&until=2026-03-01T11:00:00Z") == [uuids[1]]
    assert got("until=2026-03-02") == uuids[:4]
    assert got(f"type=pact&userUuid={acme.admin.uuid}&sort=-timestamp") == [uuids[2], uuids[0]]
    assert got("userUuid=not-a-uuid") == []


def test_the_next_link_keeps_the_filters(seeded):
    acme, _, uuids = seeded
    client = acme.client()

    first = client.get("/audit?type=pact&pageSize=1").json()
    query = parse_qs(urlsplit(first["_links"]["next"]["href"]).query)

    assert query == {"type": ["pact"], "from": [uuids[2]], "pageSize": ["1"]}
    assert _all_pages(client, "/audit?type=pact&pageSize=1") == ([uuids[0], uuids[2]], 2)


def test_bad_parameters_are_refused_with_their_names(seeded):
    acme, _, _ = seeded
    client = acme.client()

    assert client.get("/audit?since=yesterday").json()["errors"] == {
        "since": ["Use an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."]
    }
    assert client.get("/audit?sort=name").status_code == 400
    assert client.get("/audit?from=00000000-0000-0000-0000-000000000000").json()["errors"] == {
        "from": ["No audit event with this uuid."]
    }
    assert client.get("/audit?pageSize=1000").json()["page"]["size"] == 100


def test_entries_have_pactflows_shape_with_who_and_from_where(acme):
    client = acme.client(REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="curl/8")
    client.post("/pacticipants", json.dumps({"name": "Foo"}), content_type="application/json")

    [event] = [e for e in client.get("/audit?type=pacticipant").json()["events"]]

    with schema_context(acme.schema):
        token = acme.admin.api_tokens.get(name="rw")
    assert event["type"] == "pacticipant.created"
    assert (event["user_email"], event["db_user_id"], event["userUuid"]) == (
        acme.admin.email,
        acme.admin.pk,
        str(acme.admin.uuid),
    )
    assert (event["actorKind"], event["tokenUuid"], event["tokenName"], event["ip"]) == (
        "user",
        str(token.uuid),
        "rw",
        "198.51.100.4",
    )
    assert event["target"] == {"type": "pacticipant", "id": "Foo", "label": "Foo"}
    payload = event["payload"]
    assert (payload["path"], payload["method"], payload["userAgent"]) == ("/pacticipants", "POST", "curl/8")
    assert payload["params"]["display_name"] == "Foo"


def test_no_organisation_reads_another_ones_log(seeded, outsider):
    acme, bob, acme_uuids = seeded
    with schema_context(outsider.schema):
        AuditEvent.objects.all().delete()
        theirs = str(audit_record(actor=outsider.admin, action="pact.published", target="Globex only").uuid)

    acme_sees, _ = _all_pages(acme.client(), "/audit")
    outsider_sees, _ = _all_pages(outsider.client(), "/audit")

    assert acme_sees == acme_uuids
    assert outsider_sees == [theirs]
    # A cursor from the other organisation is unknown here, not a way in.
    assert acme.client().get(f"/audit?from={theirs}").status_code == 400
    assert outsider.client().get(f"/audit?from={acme_uuids[0]}").status_code == 400
    exported = b"".join(
        browser_for(outsider, outsider.admin).get("/organisation/audit/export?format=json").streaming_content
    )
    assert [row["uuid"] for row in json.loads(exported)] == [theirs]
    # Acme's token means nothing on the outsider's host (the failure is audited there, not in acme);
    # bob (no audit permission) is refused.
    assert outsider.client(token=acme.token).get("/audit").status_code == 401
    assert bob.client().get("/audit").status_code == 403
    assert browser_for(acme, bob.user).get("/organisation/audit/export?format=csv").status_code == 403
    assert _all_pages(acme.client(), "/audit")[0] == acme_uuids


def test_the_page_filters_and_exports_csv_and_json(seeded):
    acme, bob, uuids = seeded
    browser = browser_for(acme, acme.admin)

    page = browser.get("/organisation/audit?type=pact&actor=admin@acme.example").content.decode()
    as_csv = b"".join(browser.get("/organisation/audit/export?format=csv&type=pact").streaming_content).decode()
    as_json = json.loads(
        b"".join(browser.get("/organisation/audit/export?format=json&actor=bob@acme.example").streaming_content)
    )

    assert "pact.published" in page and "pact.deleted" in page and "pacticipant.created" not in page
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [(r["uuid"], r["type"], r["actor_email"]) for r in rows] == [
        (uuids[2], "pact.deleted", acme.admin.email),
        (uuids[0], "pact.published", acme.admin.email),
    ]
    assert rows[0]["timestamp"] == "2026-03-01T11:00:00+00:00" and rows[0]["target_label"] == "Foo 1 → Bar"
    assert [(r["uuid"], r["type"], r["user_uuid"]) for r in as_json] == [
        (uuids[3], "pacts.deleted", str(bob.user.uuid)),
        (uuids[1], "pacticipant.created", str(bob.user.uuid)),
    ]


def test_a_csv_export_never_hands_a_formula_to_a_spreadsheet(acme):
    with schema_context(acme.schema):
        audit_record(actor=acme.admin, action="pacticipant.created", target=("pacticipant", "x", "=HYPERLINK(1)"))

    exported = b"".join(
        browser_for(acme, acme.admin).get("/organisation/audit/export?format=csv&type=pacticipant").streaming_content
    )

    [row] = list(csv.DictReader(io.StringIO(exported.decode())))
    assert row["target_label"] == "'=HYPERLINK(1)"


def test_retention_removes_only_entries_older_than_the_plan_keeps_them_in_batches(acme, outsider):
    now = timezone.now()
    with schema_context(acme.schema):
        AuditEvent.objects.all().delete()
        for days in (400, 366, 364, 1):
            entry = audit_record(actor=None, action="pact.published", target=f"{days} days old")
            AuditEvent.objects.filter(pk=entry.pk).update(timestamp=now - timedelta(days=days))
    with schema_context(outsider.schema):
        old = audit_record(actor=None, action="pact.published", target="outsider, old")
        AuditEvent.objects.filter(pk=old.pk).update(timestamp=now - timedelta(days=400))
    plan_set(acme, plan="team")  # a year

    removed = audit_prune_tenant.apply(args=[acme.schema]).get()

    assert removed == 2
    with schema_context(acme.schema):
        left = list(AuditEvent.objects.order_by("id").values_list("action", "target_label"))
    assert left == [
        ("pact.published", "364 days old"),
        ("pact.published", "1 days old"),
        ("audit.pruned", "audit log"),
    ]
    with schema_context(outsider.schema):
        assert AuditEvent.objects.filter(pk=old.pk).exists()


def test_retention_in_small_batches_and_for_ever_on_enterprise(acme):
    now = timezone.now()
    with schema_context(acme.schema):
        AuditEvent.objects.all().delete()
        for _ in range(5):
            entry = audit_record(actor=None, action="pact.published", target="old")
            AuditEvent.objects.filter(pk=entry.pk).update(timestamp=now - timedelta(days=4000))

        assert audit_prune(retention_days=None) == 0
        assert audit_prune(retention_days=30, batch=2) == 5
        assert list(AuditEvent.objects.values_list("action", flat=True)) == ["audit.pruned"]
