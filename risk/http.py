"""The one way a page reaches a risk assessment: fetch, decide, log, in one call (cases/http.py
explains the pattern)."""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

from cases.http import case_record_for
from cases.models import Case

from .models import RiskAssessment, StalkingScreening

ANSWERS_REFUSED = "The answers describe the victim's situation and are not shared with your agency."


R = TypeVar("R", RiskAssessment, StalkingScreening)


def _answers_record_for(
    request: HttpRequest,
    case_id: uuid.UUID | str,
    public_id: uuid.UUID | str,
    records: Callable[[Case], QuerySet[R]],
    *,
    what: str,
    missing: str,
) -> tuple[Case, R]:
    """A record of the victim's answers (a DASH, a stalking screening): only for users who may read
    them."""
    return case_record_for(
        request,
        case_id,
        public_id,
        records,
        what=what,
        can="cases.view_risk_answers",
        missing=missing,
        refused=ANSWERS_REFUSED,
    )


def assessment_for(
    request: HttpRequest, case_id: uuid.UUID | str, public_id: uuid.UUID | str, *, what: str
) -> tuple[Case, RiskAssessment]:
    """The case and its DASH assessment for the page `what`, logged as the assessment."""
    return _answers_record_for(
        request,
        case_id,
        public_id,
        lambda case: RiskAssessment.objects.filter(case=case).select_related("victim__person", "assessed_by"),
        what=what,
        missing="Risk assessment not found.",
    )


def screening_for(
    request: HttpRequest, case_id: uuid.UUID | str, public_id: uuid.UUID | str, *, what: str
) -> tuple[Case, StalkingScreening]:
    """The case and its stalking screening for the page `what`, logged as the screening."""
    return _answers_record_for(
        request,
        case_id,
        public_id,
        lambda case: StalkingScreening.objects.filter(case=case).select_related("victim__person", "screened_by"),
        what=what,
        missing="Stalking screening not found.",
    )
