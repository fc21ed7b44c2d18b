"""Comparisons run in a Celery worker, inside the organisation's schema (apps.core.tasks.tenant_task)."""

from apps.core.tasks import tenant_task
from apps.provider_contracts import queueing
from apps.provider_contracts.queueing import COMPARE_PACT, COMPARE_PUBLICATION
from apps.provider_contracts.services import comparisons

# Pacts per task: a provider with many consumers has its comparisons spread over the worker processes.
PACTS_PER_TASK = 10
# Seconds: comparing up to PACTS_PER_TASK pacts with one OpenAPI description (soft raises in the task,
# hard kills the worker process).
COMPARISON_LIMITS = {"soft_time_limit": 120, "time_limit": 150}


@tenant_task(name=COMPARE_PUBLICATION, acks_late=True, **COMPARISON_LIMITS)
def comparisons_for_publication(
    schema_name: str, publication_id: int, pact_version_ids: list[int] | None = None
) -> int:
    """Without `pact_version_ids`: find the pacts to compare, check the description once, then compare
    here (a few pacts) or queue one task per PACTS_PER_TASK pacts."""
    if pact_version_ids is None:
        pact_version_ids = comparisons.pacts_for_publication(publication_id=publication_id)
        if len(pact_version_ids) > PACTS_PER_TASK:
            for start in range(0, len(pact_version_ids), PACTS_PER_TASK):
                queueing.queue_or_run(
                    COMPARE_PUBLICATION, schema_name, publication_id, pact_version_ids[start : start + PACTS_PER_TASK]
                )
            return 0
    return comparisons.comparisons_for_publication(publication_id=publication_id, pact_version_ids=pact_version_ids)


@tenant_task(name=COMPARE_PACT, acks_late=True, **COMPARISON_LIMITS)
def comparisons_for_pact(schema_name: str, consumer_name: str, provider_name: str, pact_version_sha: str) -> int:
    return comparisons.comparisons_for_pact(
        consumer_name=consumer_name, provider_name=provider_name, pact_version_sha=pact_version_sha
    )
