"""Settings > Data export: ask for an archive of the organisation's data, and download it when ready."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.permissions import Perm, require_permission
from apps.core.errors import Conflict
from apps.portability.models import ExportJob
from apps.portability.services.jobs import export_available, export_file, export_request


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_GET
def data(request):
    jobs = [{"job": job, "available": export_available(job)} for job in ExportJob.objects.all()[:10]]
    return render(request, "portability/data.html", {"jobs": jobs})


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_POST
def export_start(request):
    try:
        export_request(actor=request.user)
    except Conflict:
        messages.error(request, "An export is already being made; it appears below when ready.")
        return redirect("portability-data")
    messages.success(request, "The export is being made; it appears below when ready.")
    return redirect("portability-data")


@require_permission(Perm.SYSTEM_PREFERENCE_MANAGE)
@require_GET
def export_download(request, uuid):
    job = ExportJob.objects.filter(uuid=uuid).first()
    if job is None or not export_available(job):
        raise Http404("No such export, or it has expired.")
    path = export_file(job, request.tenant.schema_name)
    if not path.exists():
        raise Http404("No such export, or it has expired.")
    filename = f"{request.tenant.slug}-{job.finished_at:%Y%m%d-%H%M%S}.tar.gz"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=filename, content_type="application/gzip")
