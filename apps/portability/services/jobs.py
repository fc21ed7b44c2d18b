"""Export archives asked for from the UI: queued, built by a worker (tasks.py), downloaded when ready.

Files live in ORGANISATION_EXPORT_DIR/<schema>/<job uuid>.tar.gz (mode 0600), are written under a
temporary name and renamed when complete, and are removed ORGANISATION_EXPORT_KEEP_HOURS after they
were made (by the next export of the organisation) and when the organisation is deleted.
"""

import os
import time
from datetime import timedelta
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.audit import audit_record
from apps.core.errors import Conflict
from apps.portability.models import ExportJob
from apps.portability.services.exporting import organisation_export

EXPORT_TASK = "portability.export"


def export_directory(schema_name: str) -> Path:
    return Path(settings.ORGANISATION_EXPORT_DIR) / schema_name


def export_file(job: ExportJob, schema_name: str) -> Path:
    return export_directory(schema_name) / f"{job.uuid}.tar.gz"


def export_available(job: ExportJob) -> bool:
    return job.status == ExportJob.Status.READY and job.finished_at > timezone.now() - timedelta(
        hours=settings.ORGANISATION_EXPORT_KEEP_HOURS
    )


def export_request(*, actor) -> ExportJob:
    """Queue an export of the current organisation (one at a time)."""
    with transaction.atomic():
        busy = ExportJob.objects.select_for_update().filter(
            status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
        )
        if busy.exists():
            raise Conflict({"error": "An export of this organisation is already being made."})
        job = ExportJob.objects.create(requested_by=actor)
        audit_record(actor=actor, action="organisation.export_requested", target=("export", job.pk, str(job.uuid)))
        schema_name = connection.schema_name
        transaction.on_commit(lambda: current_app.signature(EXPORT_TASK, args=[schema_name, str(job.uuid)]).delay())
    return job


def export_build(*, schema_name: str, slug: str, name: str, job_uuid: str) -> ExportJob:
    job = ExportJob.objects.get(uuid=job_uuid)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    directory = export_directory(schema_name)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _expired_remove(directory)
    target = export_file(job, schema_name)
    partial = target.with_suffix(".partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            organisation_export(schema_name=schema_name, slug=slug, name=name, out=handle)
        os.replace(partial, target)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(), error=type(exc).__name__
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.READY, finished_at=timezone.now(), size_bytes=target.stat().st_size
    )
    job.refresh_from_db()
    return job


def _expired_remove(directory: Path) -> None:
    cutoff = time.time() - settings.ORGANISATION_EXPORT_KEEP_HOURS * 3600
    for path in directory.glob("*.tar.gz"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
