"""Publishing and deleting pacts (the legacy `PUT /pacts/...` and the core shared with
`POST /contracts/publish`).

One publication of content for (consumer version, provider):
1. the content's canonical SHA finds or creates the `PactVersion` (content stored once per SHA);
2. same SHA as the current publication: nothing new is written (idempotent republish);
3. otherwise a `PactPublication` (revision + 1 over an existing one) and the `LatestPactPublication`
   row are written, unless the content changed for an existing consumer version while
   `BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION` is off (409, as the broker);
4. the integration is created or its `contract_data_updated_at` touched, after everything else and
   in provider order, so concurrent publishers do not deadlock on it (broker PR #654).
Every step is set-based: the number of statements does not grow with the number of pacts.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from apps.accounts.audit import audit_entries_insert, audit_entry, audit_record
from apps.contracts import events
from apps.contracts.models import (
    Integration,
    LatestPactPublication,
    Pacticipant,
    PactPublication,
    PactVersion,
    Version,
)
from apps.contracts.semver import version_number_error
from apps.contracts.services import content as pact_content
from apps.contracts.services.find_or_create import (
    FoundVersion,
    found_audit_entries,
    pacticipants_find_or_create,
    version_find_or_create,
)
from apps.core.errors import Conflict, NotFound, ValidationFailed


@dataclass
class PactToWrite:
    provider: Pacticipant
    doc: object
    merge: bool = False


@dataclass
class PactWritten:
    provider: Pacticipant
    pact_version: PactVersion
    publication: PactPublication
    existed: bool  # a publication for this consumer version and provider existed before
    content_changed: bool  # existed, and the content is different now
    merged: bool = False
    pact_version_created: bool = False

    @property
    def sha(self) -> str:
        return self.pact_version.sha


@dataclass
class PactConflict:
    provider: Pacticipant
    diff: str


class ModificationRefused(Exception):
    def __init__(self, conflicts: list[PactConflict]):
        super().__init__("pact content modification not allowed")
        self.conflicts = conflicts


class MergeRefused(Exception):
    pass


def modification_refused_message(consumer: str, version: str, provider: str) -> str:
    return (
        f"Cannot change the content of the pact for {consumer} version {version} and provider {provider}, "
        "as race conditions will cause unreliable results for can-i-deploy. Each pact must be published "
        "with a unique consumer version number. Some Pact libraries generate random data when a concrete "
        "value for a type matcher is not specified, and this can cause the contract to mutate - ensure "
        "you have given example values for all type matchers. For more information see "
        "https://docs.pact.io/go/versioning"
    )


def _pact_versions_ensure(
    consumer: Pacticipant, prepared: list[tuple[Pacticipant, str, str, object]], *, created_at: datetime | None = None
):
    """{(provider_id, sha): (PactVersion, created)} with one INSERT and at most one SELECT."""
    rows = list({(provider.pk, sha): (provider, sha, stored, doc) for provider, sha, stored, doc in prepared}.values())
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, COALESCE(%s, now()))"] * len(rows))
    params = []
    for provider, sha, stored, doc in rows:
        interactions, messages = pact_content.counts(doc)
        params += [consumer.pk, provider.pk, sha, stored, interactions, messages, created_at]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PactVersion._meta.db_table} (consumer_id, provider_id, sha, content, interactions_count, "
            f"messages_count, created_at) VALUES {values} ON CONFLICT (consumer_id, provider_id, sha) DO NOTHING "
            "RETURNING id, provider_id, sha",
            params,
        )
        created = {(provider_id, sha): pk for pk, provider_id, sha in cursor.fetchall()}
    result = {
        key: (PactVersion(pk=pk, consumer=consumer, provider_id=key[0], sha=key[1]), True)
        for key, pk in created.items()
    }
    missing = [(provider.pk, sha) for provider, sha, _, _ in rows if (provider.pk, sha) not in created]
    if missing:
        shas = {sha for _, sha in missing}
        for pv in PactVersion.objects.filter(consumer=consumer, sha__in=shas).only("id", "provider_id", "sha"):
            if (pv.provider_id, pv.sha) in missing:
                result[(pv.provider_id, pv.sha)] = (pv, False)
    return result


def pacts_write(
    *,
    consumer: Pacticipant,
    found: FoundVersion,
    pacts: list[PactToWrite],
    allow_modification: bool | None = None,
    merge_may_modify: bool = True,
    created_at: datetime | None = None,
) -> list[PactWritten]:
    """Write several pacts for one consumer version. Raises ModificationRefused / MergeRefused.

    `created_at`: the publication time when it is not now (an import from another broker keeps the
    source's times, so "latest", pending and WIP answer the same); it also dates new content and the
    integration's last contract change.

    `merge_may_modify=False` (`/contracts/publish`): a merge that changes the content is refused like
    any other change unless modification is allowed, as the broker does.

    Callers own the transaction (and roll it back on a raise).
    """
    if allow_modification is None:
        allow_modification = settings.BROKER_ALLOW_DANGEROUS_CONTRACT_MODIFICATION
    version = found.version
    current = {}
    if not found.created:
        current = {
            row.provider_id: row
            for row in LatestPactPublication.objects.filter(
                consumer_version=version, provider__in=[p.provider for p in pacts]
            )
            .select_related("pact_publication", "pact_version")
            .defer("pact_version__content")
        }
    prepared, conflicts, merged_flags = [], [], []
    for item in pacts:
        existing = current.get(item.provider.pk)
        doc = item.doc
        merged = False
        if item.merge and existing is not None:
            try:
                doc = pact_content.interactions_merge(pact_content.content_load(existing.pact_version.content), doc)
            except pact_content.MergeConflict as exc:
                raise MergeRefused(str(exc)) from exc
            merged = True
        sha = pact_content.canonical_sha(doc)
        may_modify = (merged and merge_may_modify) or allow_modification
        if existing is not None and existing.pact_version.sha != sha and not may_modify:
            conflicts.append(PactConflict(item.provider, pact_content.content_diff(existing.pact_version.content, doc)))
        stored = pact_content.content_serialise(pact_content.with_interaction_ids(doc))
        prepared.append((item.provider, sha, stored, doc))
        merged_flags.append(merged)
    if conflicts:
        raise ModificationRefused(conflicts)

    pact_versions = _pact_versions_ensure(consumer, prepared, created_at=created_at)
    written, new_publications = [], []
    for (provider, sha, _, _), merged in zip(prepared, merged_flags, strict=True):
        pact_version, pv_created = pact_versions[(provider.pk, sha)]
        existing = current.get(provider.pk)
        if existing is not None and existing.pact_version.sha == sha:
            publication = existing.pact_publication
        else:
            publication = PactPublication(
                consumer_version=version,
                provider=provider,
                consumer=consumer,
                pact_version=pact_version,
                revision_number=(existing.pact_publication.revision_number + 1) if existing else 1,
                consumer_version_order=version.order,
            )
            new_publications.append(publication)
        written.append(
            PactWritten(
                provider=provider,
                pact_version=pact_version,
                publication=publication,
                existed=existing is not None,
                content_changed=existing is not None and existing.pact_version.sha != sha,
                merged=merged,
                pact_version_created=pv_created,
            )
        )
    if new_publications:
        PactPublication.objects.bulk_create(new_publications)
        if created_at is not None:  # auto_now_add set "now" on the way in
            PactPublication.objects.filter(pk__in=[pub.pk for pub in new_publications]).update(created_at=created_at)
            for pub in new_publications:
                pub.created_at = created_at
        LatestPactPublication.objects.bulk_create(
            [
                LatestPactPublication(
                    consumer_version=version,
                    provider=pub.provider,
                    consumer=consumer,
                    pact_publication=pub,
                    pact_version=pub.pact_version,
                    consumer_version_order=version.order,
                    created_at=version.created_at,
                )
                for pub in new_publications
            ],
            update_conflicts=True,
            unique_fields=["consumer_version", "provider"],
            update_fields=["pact_publication", "pact_version"],
        )
    _integrations_touch(consumer, sorted({w.provider.pk for w in written}), at=created_at)
    return written


def _integrations_touch(consumer: Pacticipant, provider_ids: list[int], *, at: datetime | None = None) -> None:
    if not provider_ids:
        return
    values = ", ".join(["(%s, %s, COALESCE(%s, now()), COALESCE(%s, now()))"] * len(provider_ids))
    params = [p for provider_id in provider_ids for p in (consumer.pk, provider_id, at, at)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Integration._meta.db_table} AS i (consumer_id, provider_id, created_at, "
            f"contract_data_updated_at) VALUES {values} ON CONFLICT (consumer_id, provider_id) DO UPDATE "
            "SET contract_data_updated_at = EXCLUDED.contract_data_updated_at",
            params,
        )


def published_events_schedule(
    *,
    consumer: Pacticipant,
    version: Version,
    written: list[PactWritten],
    branch: str | None = None,
    tags: tuple[str, ...] = (),
    build_url: str | None = None,
) -> None:
    """Tell listeners (webhooks) about each publication, inside the writing transaction: they record
    the event there (an outbox row) and act on it after the commit."""
    schema = connection.schema_name
    for item in written:
        event = events.ContractPublished(
            schema_name=schema,
            consumer_name=consumer.name,
            provider_name=item.provider.name,
            consumer_version_id=version.pk,
            consumer_version_number=version.number,
            pact_version_sha=item.sha,
            pact_publication_id=item.publication.pk,
            pact_version_created=item.pact_version_created,
            existed=item.existed,
            content_changed=item.content_changed,
            merged=item.merged,
            consumer_version_branch=branch,
            consumer_version_tags=tuple(tags),
            build_url=build_url,
        )
        events.contract_published(event)  # inside the transaction: listeners record an outbox row


def publication_audit(
    *,
    consumer: Pacticipant,
    found: FoundVersion,
    written: list[PactWritten],
    branch: str | None = None,
    tags_created: list[str] = (),
) -> None:
    """The audit entries of one publication request (the version, its new branch and tags, each
    pact), inserted with one statement: publishing is a hot path."""
    number = found.version.number
    entries = found_audit_entries(pacticipant=consumer, found=found, branch=branch, tags=list(tags_created))
    for item in written:
        label = f"{consumer.name} {number} → {item.provider.name}"
        entries.append(
            audit_entry(
                action="pact.published",
                target=("pact", item.sha, label),
                details={
                    "consumer": consumer.name,
                    "provider": item.provider.name,
                    "consumerVersion": number,
                    "sha": item.sha,
                    "revision": item.publication.revision_number,
                    "contentChanged": item.content_changed,
                    "merged": item.merged,
                },
            )
        )
    audit_entries_insert(entries)


@dataclass
class PactPublishResult:
    written: PactWritten
    consumer: Pacticipant
    version: Version
    created: bool = field(default=False)  # no pact existed for this consumer version and provider


def pact_publish(
    *, consumer_name: str, provider_name: str, consumer_version_number: str, doc, merge: bool = False
) -> PactPublishResult:
    """`PUT` (or `PATCH` with merge=True) of one pact for a consumer version.

    Raises ValidationFailed (400), Conflict (409: modification refused or merge conflict).
    """
    errors = {}
    if not consumer_version_number.strip():
        errors["consumer_version_number"] = ["cannot be blank."]
    elif message := version_number_error(consumer_version_number):
        errors["consumer_version_number"] = [message]  # only with semantic version ordering
    for role, expected in (("consumer", consumer_name), ("provider", provider_name)):
        in_pact = pact_content.pacticipant_name_in(doc, role)
        if in_pact is not None and in_pact != expected:
            errors[f"{role}.name"] = [f"name in pact '{in_pact}' does not match name in URL path '{expected}'."]
    if errors:
        raise ValidationFailed(errors)
    # No savepoint: inside a request's transaction any failure rolls the whole request back.
    with transaction.atomic(savepoint=False):
        integration_limits_check(consumer_name=consumer_name, provider_names=[provider_name])
        pacticipants = pacticipants_find_or_create(names=[consumer_name, provider_name])
        consumer, provider = pacticipants[consumer_name], pacticipants[provider_name]
        found = version_find_or_create(pacticipant=consumer, number=consumer_version_number)
        try:
            # PATCH (merge) is not subject to the modification rule, as in the broker.
            written = pacts_write(
                consumer=consumer,
                found=found,
                pacts=[PactToWrite(provider=provider, doc=doc, merge=merge)],
                allow_modification=True if merge else None,
            )[0]
        except ModificationRefused:
            raise Conflict(
                {"error": modification_refused_message(consumer_name, consumer_version_number, provider_name)}
            ) from None
        except MergeRefused as exc:
            raise Conflict({"error": str(exc)}) from None
        published_events_schedule(consumer=consumer, version=found.version, written=[written])
        publication_audit(consumer=consumer, found=found, written=[written])
    return PactPublishResult(written=written, consumer=consumer, version=found.version, created=not written.existed)


def integration_limits_check(*, consumer_name: str, provider_names) -> None:
    """The plan's integration limit, checked before anything is written (billing.limits raises a
    402 BrokerError; the transaction then leaves nothing behind)."""
    from django.db import connection

    from billing.limits import integration_limits_check as check

    check(tenant=connection.tenant, consumer_name=consumer_name, provider_names=provider_names)


# --- Deletion --------------------------------------------------------------------------------------


def pact_delete(*, consumer_name: str, provider_name: str, consumer_version_number: str) -> None:
    """Delete every revision of the pact for a consumer version (the content rows stay)."""
    with transaction.atomic():
        deleted, _ = PactPublication.objects.filter(
            consumer__name=consumer_name,
            provider__name=provider_name,
            consumer_version__number=consumer_version_number,
        ).delete()
        if not deleted:
            raise NotFound()
        label = f"{consumer_name} {consumer_version_number} → {provider_name}"
        audit_record(
            action="pact.deleted",
            target=("pact", consumer_version_number, label),
            details={"consumer": consumer_name, "provider": provider_name, "consumerVersion": consumer_version_number},
        )


def pact_publications_delete(
    *, consumer: Pacticipant, provider: Pacticipant, tag: str | None = None, branch: str | None = None
) -> int:
    """Delete all publications between two pacticipants (optionally only for tagged/branch versions)."""
    with transaction.atomic():
        publications = PactPublication.objects.filter(consumer=consumer, provider=provider)
        if tag is not None:
            publications = publications.filter(consumer_version__tags__name=tag)
        if branch is not None:
            publications = publications.filter(consumer_version__branch_versions__branch_name=branch)
        count, _ = PactPublication.objects.filter(pk__in=publications.values("pk")).delete()
        label = f"{consumer.name} → {provider.name}"
        audit_record(
            action="pacts.deleted",
            target=("integration", label, label),
            details={"consumer": consumer.name, "provider": provider.name, "tag": tag, "branch": branch},
        )
    return count
