"""What the broker's JSON dashboard (`GET /dashboard` for API clients) adds to the UI's rows.

`integrations_overview` already gives every integration its latest pact, latest verification,
status and the branches and tags of both versions. The broker's dashboard items also carry, in a
constant number of statements whatever the number of integrations:

1. `headBranchNames`: the branches each shown version is the head of (BranchHead);
2. the tags for which a shown version is the *latest* version with that tag (`pactTags` of the
   consumer version, `latestVerificationResultTags` of the provider version, all `latest: true`);
3. `webhookStatus` (none / not_run / retrying / success / failure, the broker's
   PactBroker::Webhooks::Status) from the webhooks scoped to the integration (by pacticipant, by
   label or to everyone: 2 statements) and the latest triggered webhook per webhook and event
   (1 statement); `latestWebhookExecution` is the newest of those.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from apps.contracts.models import BranchHead, Label, Tag
from apps.ui.queries.integrations import IntegrationRow
from apps.webhooks.models import TriggeredWebhook, Webhook


@dataclass
class DashboardExtras:
    head_branches: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    latest_tags: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    webhook_status: dict[tuple, str] = field(default_factory=dict)
    webhook_triggered_at: dict[tuple, datetime] = field(default_factory=dict)


def _latest_tags(version_ids: set[int]) -> dict[int, list[str]]:
    """Tag names by version id, only where that version is the latest with the tag (2 statements)."""
    found: dict[int, list[str]] = defaultdict(list)
    tags = list(
        Tag.objects.filter(version_id__in=version_ids)
        .order_by("created_at", "name")
        .values_list("version_id", "pacticipant_id", "name")
    )
    if not tags:
        return found
    latest = dict(
        ((pid, name), vid)
        for pid, name, vid in (
            Tag.objects.filter(pacticipant_id__in={t[1] for t in tags}, name__in={t[2] for t in tags})
            .order_by("pacticipant_id", "name", "-version_order")
            .distinct("pacticipant_id", "name")
            .values_list("pacticipant_id", "name", "version_id")
        )
    )
    for vid, pid, name in tags:
        if latest.get((pid, name)) == vid:
            found[vid].append(name)
    return found


def _webhook_scopes(pacticipant_ids: set[int]) -> tuple[list[Webhook], dict[int, set[str]]]:
    webhooks = list(Webhook.objects.only("id", "consumer_id", "provider_id", "consumer_label", "provider_label"))
    labels: dict[int, set[str]] = defaultdict(set)
    if any(w.consumer_label or w.provider_label for w in webhooks):
        for pid, name in Label.objects.filter(pacticipant_id__in=pacticipant_ids).values_list("pacticipant_id", "name"):
            labels[pid].add(name)
    return webhooks, labels


def _applies(webhook: Webhook, side: str, pacticipant_id: int, labels: dict[int, set[str]]) -> bool:
    scoped_id, scoped_label = getattr(webhook, f"{side}_id"), getattr(webhook, f"{side}_label")
    if scoped_id is None and not scoped_label:
        return True
    return scoped_id == pacticipant_id or (bool(scoped_label) and scoped_label in labels[pacticipant_id])


def _status(statuses: list[str]) -> str:
    """PactBroker::Webhooks::Status#to_sym, once webhooks exist for the integration."""
    if not statuses or all(s == "not_run" for s in statuses):
        return "not_run"
    if any(s == "retrying" for s in statuses):
        return "retrying"
    return "success" if all(s == "success" for s in statuses) else "failure"


def dashboard_extras(rows: list[IntegrationRow]) -> DashboardExtras:
    extras = DashboardExtras()
    if not rows:
        return extras
    version_ids = {r.consumer_version.pk for r in rows if r.consumer_version is not None}
    version_ids |= {r.verification.provider_version_id for r in rows if r.verification is not None}
    for vid, name in (
        BranchHead.objects.filter(version_id__in=version_ids)
        .order_by("branch_name")
        .values_list("version_id", "branch_name")
    ):
        extras.head_branches[vid].append(name)
    extras.latest_tags = _latest_tags(version_ids)

    consumer_ids, provider_ids = {r.consumer.pk for r in rows}, {r.provider.pk for r in rows}
    webhooks, labels = _webhook_scopes(consumer_ids | provider_ids)
    triggered: dict[tuple, list] = defaultdict(list)
    if webhooks:
        # Triggered webhooks of deleted webhooks (webhook_id null) do not count, as in the broker.
        latest = (
            TriggeredWebhook.objects.filter(
                consumer_id__in=consumer_ids, provider_id__in=provider_ids, webhook__isnull=False
            )
            .order_by("consumer_id", "provider_id", "webhook_uuid", "event_name", "-id")
            .distinct("consumer_id", "provider_id", "webhook_uuid", "event_name")
            .values_list("consumer_id", "provider_id", "status", "created_at")
        )
        for cid, pid, status, created_at in latest:
            triggered[(cid, pid)].append((status, created_at))
    for row in rows:
        key = (row.consumer.pk, row.provider.pk)
        scoped = [
            w for w in webhooks if _applies(w, "consumer", key[0], labels) and _applies(w, "provider", key[1], labels)
        ]
        if not scoped:
            extras.webhook_status[key] = "none"
            continue
        extras.webhook_status[key] = _status([status for status, _ in triggered[key]])
        if triggered[key]:
            extras.webhook_triggered_at[key] = max(created_at for _, created_at in triggered[key])
    return extras
