"""Domain events of the contracts app, for the webhooks and environments apps (and anything else
that listens): the contracts app never imports them (dependencies run one way, docs/architecture.md).

Services call these functions *inside the writing transaction*. Two signals go out:
`contract_published_in_transaction_signal` at once, for listeners that record the event in that same
transaction (the webhooks app writes an outbox row, so nothing is lost between the commit and the
work the event causes); and `contract_published_signal` after commit (`transaction.on_commit`), for
listeners that act right away and must never see data that is then rolled back.
The webhooks app connects a receiver (e.g. in its AppConfig.ready) and decides which of the broker's
events fire (`contract_published` always; `contract_content_changed` when `pact_version_created` or
`content_changed`, or per consumer-version tag compared with earlier versions — see the shared
reference §7.2; `contract_requiring_verification_published` from the provider's versions).
Listeners run inside the request that published; they should only enqueue work (Celery, with
`schema_name`), never call out over the network.
"""

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

# Sent with `event=ContractPublished(...)`: after commit, and inside the writing transaction.
contract_published_signal = Signal()
contract_published_in_transaction_signal = Signal()


@dataclass(frozen=True)
class ContractPublished:
    """One pact publication (PUT, PATCH or one contract of POST /contracts/publish)."""

    schema_name: str  # the tenant; a task must run inside it
    consumer_name: str
    provider_name: str
    consumer_version_id: int
    consumer_version_number: str
    pact_version_sha: str
    pact_publication_id: int
    pact_version_created: bool  # this content (SHA) was never published before for this pair
    existed: bool  # a pact for this consumer version and provider existed before this publication
    content_changed: bool  # existed, and the content is now different (a new revision)
    merged: bool
    consumer_version_branch: str | None
    consumer_version_tags: tuple[str, ...]
    build_url: str | None


def contract_published(event: ContractPublished) -> None:
    """Hook called inside the writing transaction for every pact publication, including identical
    republishes."""
    contract_published_in_transaction_signal.send(sender=ContractPublished, event=event)
    transaction.on_commit(lambda: contract_published_signal.send(sender=ContractPublished, event=event))


# Sent with `version=<Version>, tag_names=(...)` inside the writing transaction when a tagging
# request (a tag's own PUT, or a version's PUT with tags) creates tags on a version. The environments
# app records a deployment for a tag named like an environment (the broker's
# create_deployed_versions_for_tags, apps/environments/receivers.py).
version_tagged_signal = Signal()


def version_tagged(*, version, tag_names: list[str]) -> None:
    """Hook called inside the writing transaction with the tags a tagging request created, in order."""
    version_tagged_signal.send(sender=type(version), version=version, tag_names=tuple(tag_names))
