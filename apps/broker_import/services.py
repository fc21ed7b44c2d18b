"""Starting, continuing and cancelling an import run (the command and the settings page share them)."""

from django.db import transaction

from .models import ImportRun


def source_url_normalise(url: str) -> str:
    return (url or "").strip().rstrip("/")


@transaction.atomic
def import_run_start(*, source_url: str, started_by: str = "", resume: bool = True) -> ImportRun:
    """The unfinished run for this source, to continue (resume=True), or a new one. An active
    run of another source is refused: one import at a time per organisation."""
    source_url = source_url_normalise(source_url)
    if resume:
        last = ImportRun.objects.select_for_update().filter(source_url=source_url).order_by("-created_at").first()
        if last is not None and last.status in ImportRun.UNFINISHED:
            ImportRun.objects.filter(pk=last.pk).update(
                status=ImportRun.Status.QUEUED, cancel_requested=False, error="", finished_at=None
            )
            last.refresh_from_db()
            return last
    return ImportRun.objects.create(source_url=source_url, started_by=started_by)


def import_run_cancel(*, run: ImportRun) -> None:
    """Ask a running import to stop after the page it is on (it can be continued later)."""
    ImportRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    if run.status == ImportRun.Status.QUEUED:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.CANCELLED)
