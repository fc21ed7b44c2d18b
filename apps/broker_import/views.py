"""Settings > Import: an administrator starts an import from a running Pact Broker (it runs in a
Celery worker), follows its progress and may cancel it. Starting again with the same source URL
continues an unfinished run, or, after a finished one, brings over what is new."""

from django.contrib import messages
from django.db import connection, transaction
from django.shortcuts import redirect, render

from apps.accounts.permissions import Perm, require_permission

from .forms import ImportForm
from .models import ImportRun
from .services import import_run_cancel, import_run_start
from .tasks import broker_import_run


def _queue(schema_name: str, run: ImportRun, data: dict) -> None:
    broker_import_run.delay(
        schema_name, run.pk, data.get("token") or None, data.get("username") or None, data.get("password") or None
    )


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
def import_page(request):
    form = ImportForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            run_id = str(request.POST.get("run") or "")
            run = ImportRun.objects.filter(pk=int(run_id)).first() if run_id.isdigit() else None
            if run is not None and run.active:
                import_run_cancel(run=run)
                messages.success(request, f"Import #{run.pk} will stop after the page it is on.")
            return redirect("broker-import")
        form = ImportForm(request.POST)
        if form.is_valid():
            if ImportRun.objects.filter(status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]).exists():
                form.add_error(None, "An import is already running: cancel it or wait for it to finish.")
            else:
                with transaction.atomic():
                    run = import_run_start(source_url=form.cleaned_data["source_url"], started_by=request.user.email)
                    schema = connection.schema_name
                    data = dict(form.cleaned_data)
                    transaction.on_commit(lambda: _queue(schema, run, data))
                messages.success(request, f"Import #{run.pk} from {run.source_url} started.")
                return redirect("broker-import")
        status = 400
    runs = list(ImportRun.objects.order_by("-created_at")[:10])
    for run in runs:
        total = 2 * int(run.totals.get("versions") or 0)
        done = int(run.totals.get("units_done") or 0)
        run.percent = min(100, int(100 * done / total)) if total else None
    return render(
        request,
        "broker_import/import.html",
        {"form": form, "runs": runs, "active": any(run.active for run in runs)},
        status=status,
    )
