"""The one way a page reaches a crime's investigation or an NFA review: through its case, then the
record on it, logged once as the record (cases.http.case_record_for). Missing and not visible
answer the same 404."""

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest

from cases.http import case_for, case_record_for
from cases.models import Case
from incidents.models import Incident

from .models import NfaReview


def crime_for(
    request: HttpRequest, case_id: uuid.UUID, incident_id: uuid.UUID, *, what: str, can: str, writing: bool = False
) -> tuple[Case, Incident]:
    """A crime of the case's perpetrator, on the case's page log row (the crime's investigation may not
    exist yet; the incident itself is the perpetrator's record, named by the case's row)."""
    case = case_for(request, case_id, what=what, can=can, writing=writing)
    try:
        incident = Incident.objects.filter(
            perpetrator_id=case.perpetrator_id, is_crime=True, public_id=incident_id
        ).first()
    except ValidationError:
        incident = None
    if incident is None:
        raise Http404("Crime not found.")
    return case, incident


def nfa_review_for(
    request: HttpRequest, case_id: uuid.UUID, public_id: uuid.UUID, *, what: str, can: str, writing: bool = False
) -> NfaReview:
    _case, review = case_record_for(
        request,
        case_id,
        public_id,
        lambda case: NfaReview.objects.filter(case=case).select_related(
            "case", "event__investigation__incident", "event__recorded_by", "reviewer"
        ),
        what=what,
        can=can,
        writing=writing,
        missing="Review not found.",
    )
    return review
