import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from .forms import ImportUploadForm
from .http import import_job_for, import_job_polled, importer_required
from .importer import COLUMNS, MAX_ROWS, REQUIRED
from .jobs import import_job_create, import_job_run_again, import_job_start, import_progress_get
from .models import ImportStatus, IncidentImport, OffenceCategory


@login_required
@form_view
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    importer_required(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        agency = request.user.agency
        assert agency is not None  # noqa: S101 - checked by importer_required
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
    importer_required(request)
    return render(
        request,
        "incidents/import_guide.html",
        {"columns": COLUMNS, "required": REQUIRED, "categories": OffenceCategory.choices, "max_rows": MAX_ROWS},
    )


SAMPLE_FILE = Path(settings.BASE_DIR) / "docs" / "samples" / "incidents-sample.csv"


@login_required
def import_sample(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A small file of fictional incidents in the import's format, to start from."""
    importer_required(request)
    response = HttpResponse(SAMPLE_FILE.read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="incidents-sample.csv"'
    return response


@login_required
def import_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = import_job_for(request, public_id, what="Import page")
    return render(request, "incidents/import_detail.html", {"job": job, "progress": import_progress_get(job)})


@login_required
def import_progress(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The progress bar alone, polled by the page; when the job is done the page reloads itself."""
    job = import_job_polled(request, public_id)
    response = render(request, "incidents/_import_progress.html", {"job": job, "progress": import_progress_get(job)})
    if not job.in_progress:
        response["HX-Refresh"] = "true"
    return response


@login_required
@form_view
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    job = import_job_for(request, public_id, what="Import confirmation")
    if job.status != ImportStatus.CHECKED:
        messages.error(request, "Only a checked file without errors can be imported.")
        return redirect("incidents:import_detail", public_id=job.public_id)
    attempt(
        request,
        lambda: import_job_start(actor=request.user, job=job, dry_run=False),
        success=lambda started: "Incidents imported." if started.status == ImportStatus.IMPORTED else "",
    )
    return redirect("incidents:import_detail", public_id=job.public_id)


def _run_again_said(job: IncidentImport) -> str:
    if job.status == ImportStatus.IMPORTED:
        return "Incidents imported."
    return "The job has been given to the background worker again." if job.in_progress else ""


@login_required
@require_POST
@form_view
def import_run_again(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A failed or stalled job, run again from the file it holds: no new upload."""
    job = import_job_for(request, public_id, what="Import run again")
    attempt(request, lambda: import_job_run_again(actor=request.user, job=job), success=_run_again_said)
    return redirect("incidents:import_detail", public_id=job.public_id)
