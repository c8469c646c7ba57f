"""The one way a page reaches a risk assessment: fetch, decide, log, in one call (cases/http.py
explains the pattern)."""

import uuid

from django.http import HttpRequest

from cases.http import case_record_for
from cases.models import Case

from .models import RiskAssessment

ANSWERS_REFUSED = "The answers describe the victim's situation and are not shared with your agency."


def assessment_for(
    request: HttpRequest, case_id: uuid.UUID | str, public_id: uuid.UUID | str, *, what: str
) -> tuple[Case, RiskAssessment]:
    """The case and its assessment for the page `what`, logged as the assessment. The answers
    describe the victim's situation: only users who may read them reach it."""
    return case_record_for(
        request,
        case_id,
        public_id,
        lambda case: RiskAssessment.objects.filter(case=case).select_related("victim__person", "assessed_by"),
        what=what,
        can="cases.view_risk_answers",
        missing="Risk assessment not found.",
        refused=ANSWERS_REFUSED,
    )
