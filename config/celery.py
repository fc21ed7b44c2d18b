"""The Celery application.

Tasks that touch tenant data take the tenant's schema name as their first argument and run inside
it (`apps.core.tasks.tenant_task`); nothing reads tenant data from a worker without naming the
tenant. The apps declare shared tasks and never import this module (docs/architecture.md).

Periodic work is in `beat_schedule` below; exactly one `celery -A config beat` runs per deployment
(`make run` starts one too).

Every task declares its own time limits (`soft_time_limit`, `time_limit`), sized for its work beside
it, so no task can hold a worker for ever; tests/tenants/test_worker.py fails on a task without them.
"""

import logging
import os

from celery import Celery, signals

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("contract_broker")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The apps declare shared tasks, which send through Celery's *current* application: thread-local, and
# in any other thread (gunicorn's request threads, the live server's) Celery's own fallback app, with
# its default broker and none of our settings. Make this the default for every thread.
app.set_default()


def _configure_filesystem_transport() -> None:
    from django.conf import settings

    if not str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        return
    root = settings.CELERY_FILESYSTEM_DIR
    for sub in ("queue", "processed"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    app.conf.broker_transport_options = {
        "data_folder_in": str(root / "queue"),
        "data_folder_out": str(root / "queue"),
        "processed_folder": str(root / "processed"),
        "store_processed": False,
        # Broadcast (worker control) exchanges; kombu's default is ./control in the working directory.
        "control_folder": str(root / "control"),
    }


def _configure_beat() -> None:
    from django.conf import settings

    interval = settings.WEBHOOK_REQUEUE_INTERVAL
    app.conf.beat_schedule = {
        # Deliveries whose queue message was lost, or whose worker died mid-request, in every
        # organisation. A sweep not started within one interval is dropped: the next one covers it.
        "webhooks-requeue": {"task": "webhooks.requeue_all", "schedule": interval, "options": {"expires": interval}},
        # Spare organisation schemas, so that sign-ups rename one instead of cloning (tenants/spares.py).
        "tenants-spares-fill": {"task": "tenants.spares_fill", "schedule": 60.0, "options": {"expires": 60.0}},
        # Audit entries older than each organisation's plan keeps them (apps/accounts/tasks.py).
        "accounts-audit-prune": {
            "task": "accounts.audit_prune_all",
            "schedule": 3600.0,
            "options": {"expires": 3600.0},
        },
        # One email per API token expiring within 7 days, to owners who keep the alert on (apps/accounts/tasks.py).
        "accounts-token-expiry-alerts": {
            "task": "accounts.token_expiry_alerts_all",
            "schedule": 3600.0,
            "options": {"expires": 3600.0},
        },
        # Organisations whose sign-up was never confirmed (SIGNUP_UNCONFIRMED_REMOVE_AFTER).
        "tenants-unconfirmed-remove": {
            "task": "tenants.unconfirmed_remove",
            "schedule": 3600.0,
            "options": {"expires": 3600.0},
        },
        # Retention: each organisation's history beyond its keep-selectors and plan (apps/retention).
        "retention-clean-all": {"task": "retention.clean_all", "schedule": 86400.0, "options": {"expires": 3600.0}},
        # Closed organisations whose grace period is over: their data is deleted (tenants/closing.py).
        "tenants-closed-delete": {"task": "tenants.closed_delete", "schedule": 3600.0, "options": {"expires": 3600.0}},
    }


app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
)


@app.on_after_configure.connect
def _after_configure(sender, **kwargs):
    _configure_filesystem_transport()
    _configure_beat()


app.autodiscover_tasks()


@signals.worker_init.connect
def _worker_metrics(sender=None, **kwargs):
    """Serve the worker's Prometheus metrics from its main process (tenants/metrics.py); trace from
    here too when there are no pool processes (solo, threads)."""
    from tenants.metrics import worker_metrics_serve

    worker_metrics_serve()
    if "prefork" not in str(getattr(sender, "pool_cls", "prefork")).lower():
        _tracing()


@signals.worker_process_init.connect
def _tracing(**kwargs):
    """OpenTelemetry in each pool process, after the fork (config/tracing.py)."""
    from config.tracing import tracing_setup

    tracing_setup(role="worker")


# The request id of the web request that queued a task travels with it, so the worker's log lines
# and spans name it too (config/logging.py).
REQUEST_ID_HEADER = "broker_request_id"


@signals.before_task_publish.connect
def _request_id_attach(headers=None, **kwargs):
    from apps.core.log_context import current_request_id

    request_id = current_request_id.get()
    if headers is not None and request_id != "-":
        headers[REQUEST_ID_HEADER] = request_id


@signals.task_prerun.connect
def _request_id_restore(task=None, **kwargs):
    from apps.core.log_context import current_request_id

    current_request_id.set(getattr(task.request, REQUEST_ID_HEADER, None) or "-")


@signals.task_postrun.connect
def _dedicated_servers_close(**kwargs):
    """Connections to dedicated database servers (tenants/placement.py) are checked after each task, as
    Celery's Django fix-up does for the platform's."""
    from tenants.placement import servers_close

    servers_close()
