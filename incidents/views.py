import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dacrre.core.exceptions import ApplicationError
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest

from .forms import ImportUploadForm
from .importer import COLUMNS, MAX_ROWS, REQUIRED
from .jobs import import_job_create, import_job_run_again, import_job_start, import_progress_get
from .models import ImportStatus, IncidentImport, OffenceCategory
from .rules import can_import_incidents


def _require_importer(request: AuthenticatedHttpRequest) -> None:
    if not can_import_incidents(request.user):
        raise PermissionDenied("Only analysts import incidents.")


@login_required
@form_view
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        agency = request.user.agency
        assert agency is not None  # noqa: S101 - checked by _require_importer
        job = import_job_create(actor=request.user, agency=agency, filename=upload.name, content=upload.content)
        if job.status == ImportStatus.WAITING_CHECK:
            import_job_start(actor=request.user, job=job, dry_run=True)
        return redirect("incidents:import_detail", public_id=job.public_id)
    recent = IncidentImport.objects.filter(agency=request.user.agency).only(
        "public_id", "filename", "status", "uploaded_at"
    )[:10]
    return render(
        request,
        "incidents/import_upload.html",
        {
            "form": form,
            "columns": COLUMNS,
            "categories": OffenceCategory.choices,
            "recent": recent,
        },
    )


@login_required
def import_guide(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What a file must hold, column by column, with the sample to download."""
    _require_importer(request)
    return render(
        request,
        "incidents/import_guide.html",
        {"columns": COLUMNS, "required": REQUIRED, "categories": OffenceCategory.choices, "max_rows": MAX_ROWS},
    )


SAMPLE_FILE = Path(settings.BASE_DIR) / "docs" / "samples" / "incidents-sample.csv"


@login_required
def import_sample(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A small file of fictional incidents in the import's format, to start from."""
    _require_importer(request)
    response = HttpResponse(SAMPLE_FILE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="incidents-sample.csv"'
    return response


def _job(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> IncidentImport:
    job = IncidentImport.objects.filter(public_id=public_id, agency=request.user.agency).first()
    if job is None:
        raise Http404("Import not found.")
    return job


@login_required
def import_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _require_importer(request)
    job = _job(request, public_id)
    return render(request, "incidents/import_detail.html", {"job": job, "progress": import_progress_get(job)})


@login_required
def import_progress(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The progress bar alone, polled by the page; when the job is done the page reloads itself."""
    _require_importer(request)
    job = _job(request, public_id)
    response = render(request, "incidents/_import_progress.html", {"job": job, "progress": import_progress_get(job)})
    if not job.in_progress:
        response["HX-Refresh"] = "true"
    return response


@login_required
@form_view
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _require_importer(request)
    job = _job(request, public_id)
    if job.status != ImportStatus.CHECKED:
        messages.error(request, "Only a checked file without errors can be imported.")
        return redirect("incidents:import_detail", public_id=job.public_id)
    try:
        job = import_job_start(actor=request.user, job=job, dry_run=False)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("incidents:import_detail", public_id=job.public_id)
    if job.status == ImportStatus.IMPORTED:
        messages.success(request, "Incidents imported.")
    return redirect("incidents:import_detail", public_id=job.public_id)


@login_required
@require_POST
@form_view
def import_run_again(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A failed or stalled job, run again from the file it holds: no new upload."""
    _require_importer(request)
    job = _job(request, public_id)
    try:
        job = import_job_run_again(actor=request.user, job=job)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("incidents:import_detail", public_id=job.public_id)
    if job.status == ImportStatus.IMPORTED:
        messages.success(request, "Incidents imported.")
    elif job.in_progress:
        messages.success(request, "The job has been given to the background worker again.")
    return redirect("incidents:import_detail", public_id=job.public_id)
