"""Comparisons run in a Celery worker, inside the organisation's schema (apps.core.tasks.tenant_task)."""
import logging

from apps.core.tasks import tenant_task

logger = logging.getLogger(__name__)


def queue_or_run(task, *args) -> None:
    """Queue the task; when the message broker is unreachable, run it here (after the commit that
    scheduled it), so a publication is never left without its comparisons."""
    try:
        task.delay(*args)
    except Exception:
        logger.warning("could not queue %s; running it in the request", task.name, exc_info=True)
        task(*args)


# Pacts per task: a provider with many consumers has its comparisons spread over the worker processes.
PACTS_PER_TASK = 10
# Seconds: comparing up to PACTS_PER_TASK pacts with one OpenAPI description (soft raises in the task,
# hard kills the worker process).
COMPARISON_LIMITS = {"soft_time_limit": 120, "time_limit": 150}


@tenant_task(name="provider_contracts.compare_publication", acks_late=True, **COMPARISON_LIMITS)
def comparisons_for_publication(schema_name: str, publication_id: int, pact_version_ids: list[int] | None = None
                                ) -> int:
    """Without `pact_version_ids`: find the pacts to compare, check the description once, then compare
    here (a few pacts) or queue one task per PACTS_PER_TASK pacts."""
    from apps.provider_contracts.services import comparisons

    if pact_version_ids is None:
        pact_version_ids = comparisons.pacts_for_publication(publication_id=publication_id)
        if len(pact_version_ids) > PACTS_PER_TASK:
            for start in range(0, len(pact_version_ids), PACTS_PER_TASK):
                queue_or_run(comparisons_for_publication, schema_name, publication_id,
                             pact_version_ids[start:start + PACTS_PER_TASK])
            return 0
    return comparisons.comparisons_for_publication(publication_id=publication_id, pact_version_ids=pact_version_ids)


@tenant_task(name="provider_contracts.compare_pact", acks_late=True, **COMPARISON_LIMITS)
def comparisons_for_pact(schema_name: str, consumer_name: str, provider_name: str, pact_version_sha: str) -> int:
    from apps.provider_contracts.services import comparisons

    return comparisons.comparisons_for_pact(consumer_name=consumer_name, provider_name=provider_name,
                                            pact_version_sha=pact_version_sha)
