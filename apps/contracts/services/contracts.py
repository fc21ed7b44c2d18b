"""`POST /contracts/publish`: a consumer version, its branch and tags, and all its pacts in one go.

The request body is checked in `apps/contracts/api/contracts.py` (the broker's publish-contracts
contract) and arrives here as typed arguments. The response `notices` are the lines the Pact CLIs
print, so their texts match the broker's `messages.*` locale entries.
"""

from dataclasses import dataclass, field

from django.db import transaction

from apps.contracts import hooks
from apps.contracts.models import Pacticipant, Version
from apps.contracts.queries.content_changes import new_pacts_change_reasons
from apps.contracts.services.find_or_create import (
    branch_version_find_or_create,
    pacticipants_find_or_create,
    tags_find_or_create,
    version_find_or_create,
)
from apps.contracts.services.pacts import (
    ModificationRefused,
    PactToWrite,
    PactWritten,
    integration_limits_check,
    modification_refused_message,
    pacts_write,
    publication_audit,
    published_events_schedule,
)
from apps.core.errors import Conflict


@dataclass
class ContractToPublish:
    consumer_name: str
    provider_name: str
    doc: object
    merge: bool = False


@dataclass
class Notice:
    type: str
    text: str


@dataclass
class ContractsPublished:
    pacticipant: Pacticipant
    version: Version
    version_created: bool
    tags: list[str]
    written: list[PactWritten]
    notices: list[Notice] = field(default_factory=list)


def _version_notice(created: bool, name: str, number: str, branch: str | None, tags: list[str]) -> Notice:
    action = "Created" if created else "Updated"
    text = f"{action} {name} version {number}"
    if branch:
        text += f" with branch {branch}"
    if tags:
        text += f" {'and' if branch else 'with'} tags {', '.join(tags)}"
    return Notice("debug", text)


def contracts_publish(
    *,
    pacticipant_name: str,
    version_number: str,
    contracts: list[ContractToPublish],
    branch: str | None = None,
    tags: list[str] | tuple = (),
    build_url: str | None = None,
    pact_url,
) -> ContractsPublished:
    """Publish a consumer version's contracts in one transaction.

    `pact_url(consumer, provider, version_number)` builds the pact URL shown in the notices. Raises
    Conflict (409, the broker's `{notices, errors: {contracts}}` body) when content would change for
    an existing version while modification is not allowed.
    """
    tags = list(tags)
    # No savepoint: inside a request's transaction any failure rolls the whole request back.
    with transaction.atomic(savepoint=False):
        integration_limits_check(consumer_name=pacticipant_name, provider_names=[c.provider_name for c in contracts])
        pacticipants = pacticipants_find_or_create(names=[pacticipant_name, *[c.provider_name for c in contracts]])
        consumer = pacticipants[pacticipant_name]
        # create_or_update in the broker: createdAt and updatedAt stamped alike
        found = version_find_or_create(
            pacticipant=consumer, number=version_number, build_url=build_url, stamped_apart=False
        )
        branch_created = bool(branch) and branch_version_find_or_create(version=found.version, branch_name=branch)
        tags_created = tags_find_or_create(found=found, names=tags, branch_given=bool(branch))
        to_write = [PactToWrite(pacticipants[c.provider_name], c.doc, c.merge) for c in contracts]
        try:
            written = pacts_write(consumer=consumer, found=found, pacts=to_write, merge_may_modify=False)
        except ModificationRefused as refused:
            raise Conflict(
                _conflict_body(pacticipant_name, version_number, refused), content_type="application/json;charset=utf-8"
            )
        published_events_schedule(
            consumer=consumer,
            version=found.version,
            written=written,
            branch=branch,
            tags=tuple(tags),
            build_url=build_url,
        )
        publication_audit(
            consumer=consumer,
            found=found,
            written=written,
            branch=branch if branch_created else None,
            tags_created=tags_created,
        )
        notices = [_version_notice(found.created, pacticipant_name, version_number, branch, tags)]
        if not branch:
            notices.append(
                Notice(
                    "prompt",
                    "  Next steps:\n    Configure the version branch to be the value of your repository branch.",
                )
            )
        verified_providers = _providers_with_verifications(consumer, [w.provider for w in written])
        new_pacts = {w.provider.pk: w.sha for w in written if not w.existed}
        reasons = (
            new_pacts_change_reasons(
                consumer_id=consumer.pk,
                consumer_version_id=found.version.pk,
                consumer_version_order=found.version.order,
                shas=new_pacts,
            )
            if new_pacts
            else {}
        )
        for item in written:
            notices.extend(
                _pact_notices(
                    item,
                    pacticipant_name,
                    version_number,
                    pact_url(pacticipant_name, item.provider.name, version_number),
                    item.provider.pk in verified_providers,
                    reasons.get(item.provider.pk, []),
                    tags,
                )
            )
    return ContractsPublished(
        pacticipant=consumer,
        version=found.version,
        version_created=found.created,
        tags=tags,
        written=written,
        notices=notices,
    )


def _conflict_body(consumer: str, version: str, refused: ModificationRefused) -> dict:
    notices = []
    for conflict in refused.conflicts:
        text = modification_refused_message(consumer, version, conflict.provider.name)
        notices.append({"type": "error", "text": text})
        notices.append({"type": "info", "text": conflict.diff})
    return {"notices": notices, "errors": {"contracts": [n["text"] for n in notices if n["type"] == "error"]}}


def _providers_with_verifications(consumer: Pacticipant, providers: list[Pacticipant]) -> set[int]:
    return hooks.providers_verified(consumer_id=consumer.pk, provider_ids=[p.pk for p in providers])


def _events_detected(item: PactWritten, reasons: list[str], tags: list[str]) -> str:
    """The broker's list of the webhook events a publication raises, with why the content changed
    (or did not). A republish of this version names no reason."""
    if item.existed:
        return "contract_published, contract_content_changed" if item.content_changed else "contract_published"
    if not reasons:
        return (
            "contract_published (pact content is the same as previous versions with tags "
            f"{', '.join(tags)} and no new tags were applied)"
        )
    return f"contract_published, contract_content_changed ({', '.join(reasons)})"


def _pact_notices(
    item: PactWritten, consumer: str, version: str, url: str, verified: bool, reasons: list[str], tags: list[str]
) -> list[Notice]:
    provider = item.provider.name
    where = f"for {consumer} version {version} and provider {provider}"
    # "cicumstances" is the broker's own spelling; CLIs and users grep these texts.
    if item.merged:
        notices = [Notice("success", f"Pact content merged with existing content {where}.")]
    elif item.content_changed:
        notices = [
            Notice(
                "warning",
                f"Pact with changed content published over existing content {where}. This "
                "is not recommended in normal cicumstances and may indicate that you have not "
                "configured your Pact pipeline correctly. For more information see "
                "https://docs.pact.io/go/versioning",
            )
        ]
    elif item.existed:
        notices = [Notice("success", f"Pact successfully republished {where} with no content changes.")]
    else:
        notices = [Notice("success", f"Pact successfully published {where}.")]
    notices.append(Notice("debug", f"  View the published pact at {url}"))
    notices.append(Notice("debug", f"  Events detected: {_events_detected(item, reasons, tags)}"))
    steps = []
    if not verified:
        steps.append(
            Notice(
                "prompt",
                f"    * Add Pact verification tests to the {provider} build. "
                "See https://docs.pact.io/go/provider_verification",
            )
        )
    # Until webhooks exist there is never one configured, so the broker's webhook prompt always shows.
    steps.append(
        Notice(
            "prompt",
            f"    * Configure separate {provider} pact verification build and webhook to "
            "trigger it when the pact content changes. See https://docs.pact.io/go/webhooks",
        )
    )
    return notices + [Notice("prompt", "  Next steps:")] + steps
