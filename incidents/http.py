"""The one way a page reaches an incident import: fetch, decide, log, in one call (cases/http.py
explains the pattern). Imports are the force's analysts' work."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from dacrre.audit.access import record_for
from dacrre.core.exceptions import NotFoundError

from .models import IncidentImport
from .rules import can_import_incidents


def importer_required(request: HttpRequest) -> None:
    if not can_import_incidents(request.user):  # type: ignore[arg-type]
        raise PermissionDenied("Only analysts import incidents.")


def import_job_get_for(user: object, public_id: uuid.UUID | str) -> IncidentImport:
    """One of the user's force's imports."""
    job = IncidentImport.objects.filter(public_id=public_id, agency=user.agency).first()  # type: ignore[attr-defined]
    if job is None:
        raise NotFoundError("Import not found.")
    return job


def import_job_for(request: HttpRequest, public_id: uuid.UUID, *, what: str) -> IncidentImport:
    """One of the force's imports for the page `what`, logged."""
    importer_required(request)
    return record_for(request, import_job_get_for, public_id, what=what)


def import_job_polled(request: HttpRequest, public_id: uuid.UUID) -> IncidentImport:
    """The import whose progress bar the import page polls every few seconds: decided as the page,
    not logged again (the page it is part of was)."""
    importer_required(request)
    try:
        return import_job_get_for(request.user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
