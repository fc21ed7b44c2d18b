"""Domain events of verification results, for the webhooks work.

`verification_record` calls `verification_published(...)` inside its transaction (listeners record
the event there and act after commit, see apps/contracts/events.py). By default nothing listens;
the webhooks app connects to `verification_published_signal` and fires the broker's
`provider_verification_published` plus `_succeeded` / `_failed` (one triggered webhook per consumer
version named in the pact URL's metadata, see the shared reference §4 and §7.2). Listeners should only
enqueue work (Celery, inside `schema_name`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

# Sent with `event=VerificationPublished(...)`: after commit, and inside the writing transaction.
verification_published_signal = Signal()
verification_published_in_transaction_signal = Signal()


@dataclass(frozen=True)
class VerificationPublished:
    schema_name: str
    verification_id: int
    verification_number: int
    success: bool
    consumer_name: str
    provider_name: str
    pact_version_sha: str
    provider_version_number: str
    provider_version_tags: tuple[str, ...]  # snapshot at verification time
    consumer_version_numbers: tuple[str, ...]  # from the pact URL's metadata (selectors), may be empty
    build_url: str | None
    wip: bool
    pending: bool | None


def verification_published(event: VerificationPublished) -> None:
    """Hook called inside the writing transaction for every recorded verification result: the
    in-transaction signal now, the other after commit (see apps/contracts/events.py)."""
    verification_published_in_transaction_signal.send(sender=VerificationPublished, event=event)
    transaction.on_commit(lambda: verification_published_signal.send(sender=VerificationPublished, event=event))
