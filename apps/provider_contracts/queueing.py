"""Queueing the comparison tasks from the writes and receivers that schedule them.

The tasks (tasks.py) run the comparison services, so they sit on top of this app; the code that
schedules them names them instead of importing them, and the dependency runs one way. The name
resolves to the registered task, so a test's or an operator's patch of it still applies.
"""

import logging

from celery import current_app

logger = logging.getLogger(__name__)

COMPARE_PUBLICATION = "provider_contracts.compare_publication"
COMPARE_PACT = "provider_contracts.compare_pact"


def task_run(task_name: str, *args):
    """Run the task in this process, now."""
    return current_app.tasks[task_name](*args)


def queue_or_run(task_name: str, *args) -> None:
    """Queue the task; when the message broker is unreachable, run it here (after the commit that
    scheduled it), so a publication is never left without its comparisons."""
    try:
        current_app.tasks[task_name].delay(*args)
    except Exception:
        logger.warning("could not queue %s; running it in the request", task_name, exc_info=True)
        task_run(task_name, *args)
